import CadangCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `cadang verify [JOB] [--set ID]`: re-reads every artifact of the chosen sets and compares it
/// with the manifest (present, size, SHA-256), asks the plugin that wrote it to check its format
/// (`ArtifactChecking`), and reports files in a set folder that the manifest does not list; then
/// runs the verify operation of each of the job's sources that has one (not with `--set`).
///
/// The set checks take no lock and write nothing, so they can run beside a backup. Files are streamed.
public struct VerifyAction {
    /// Only this job's sets.
    public var job: String?
    /// `--set`: one set id, or `latest`.
    public var setID: String?
    /// `--json`.
    public var json: Bool
    /// Options for the sources' verify operations (`older_than` → `30d`).
    public var operationOptions: [String: String]
    /// `--lock-wait`, seconds, for operations that change their records.
    public var lockWait: Double?

    /// Creates the action.
    public init(job: String?, setID: String?, json: Bool, operationOptions: [String: String] = [:], lockWait: Double? = nil) {
        self.job = job
        self.setID = setID
        self.json = json
        self.operationOptions = operationOptions
        self.lockWait = lockWait
    }

    struct Problem: Encodable, Equatable {
        /// Path inside the set.
        var path: String
        /// What is wrong with it.
        var problem: String
    }

    struct Report: Encodable {
        var id: String
        /// `nil` when the manifest cannot be read.
        var job: String?
        var status: String
        var time: String?
        var directory: String
        /// Artifacts the manifest lists.
        var files: Int
        var problems: [Problem]

        // `job` and `time` are always present, `null` when unknown.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(job, forKey: .job)
            try container.encode(status, forKey: .status)
            try container.encode(time, forKey: .time)
            try container.encode(directory, forKey: .directory)
            try container.encode(files, forKey: .files)
            try container.encode(problems, forKey: .problems)
        }

        private enum CodingKeys: String, CodingKey {
            case id, job, status, time, directory, files, problems
        }
    }

    /// A folder to check: a committed set, or a folder in `sets/` whose manifest is unreadable.
    private enum Target {
        case set(BackupSet)
        case unreadable(id: String, job: String?, directory: URL)

        var id: String {
            switch self {
            case .set(let set): set.id
            case .unreadable(let id, _, _): id
            }
        }
    }

    /// Verifies; exit 4 when anything is damaged.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        let repository = Repository(url: config.repository)
        let runner = OperationRunner(config: config, session: session)
        let participants = setID == nil ? try runner.participants(.verify, job: job) : []
        if setID != nil, !operationOptions.isEmpty {
            throw CadangError(.usage, "--set checks one set's files; the sources' verify options do not apply", fix: "leave out --set")
        }
        let targets = try choose(config: config, repository: repository, session: session)
        if targets.isEmpty && participants.isEmpty {
            _ = try runner.validate(operationOptions, for: [], verb: .verify)
            if json {
                try JSONOutput.print([Report]())
            } else {
                session.say("no backup sets in \(config.repository.path)" + (job.map { " for job '\($0)'" } ?? "") + " — nothing to verify")
            }
            return .success
        }

        var reports: [Report] = []
        for target in targets {
            guard let report = verify(target, registry: session.registry, session: session) else {
                // Pruned while we read it: no longer a set, so neither ok nor damaged.
                if !json { session.say("\(target.id): removed while verifying (skipped)") }
                continue
            }
            reports.append(report)
            if !json {
                let files = "\(report.files) file\(report.files == 1 ? "" : "s")"
                if report.problems.isEmpty {
                    session.say("\(report.id) \(report.job ?? "?"): ok (\(files))")
                } else {
                    // Damage is printed even with --quiet.
                    print("\(report.id) \(report.job ?? "?"): DAMAGED — " + report.problems.map { "\($0.path): \($0.problem)" }.joined(separator: "; "))
                }
            }
        }
        let damaged = reports.filter { !$0.problems.isEmpty }.count
        if !json {
            session.say("\(reports.count) set(s) verified in \(config.repository.path): \(reports.count - damaged) ok, \(damaged) damaged")
        }
        let outcomes = try runner.run(.verify, participants, job: job, options: operationOptions,
                                      flags: .init(json: json, lockWait: lockWait))
        if json {
            // Without source operations the output stays the array of set reports it always was.
            if participants.isEmpty {
                try JSONOutput.print(reports)
            } else {
                try JSONOutput.print(MergedReport(parts: [(key: "sets", value: reports)] + OperationRunner.reportParts(outcomes)))
            }
        }
        let operations = OperationRunner.status(outcomes)
        if operations != .success && operations != .partial { return operations }
        return damaged > 0 ? .damaged : operations
    }

    private func choose(config: Config, repository: Repository, session: Session) throws -> [Target] {
        let setsFolder = config.repository.appendingPathComponent("sets", isDirectory: true)
        if let setID {
            let set: BackupSet
            if setID == "latest" {
                guard let latest = repository.sets(job: job).last else { return [] }
                set = latest
            } else if let found = repository.set(id: setID) {
                set = found
            } else {
                let directory = setsFolder.appendingPathComponent(setID, isDirectory: true)
                if SetID.isValid(setID), FileSystem.exists(directory) {
                    return [.unreadable(id: setID, job: Self.jobOfUnreadableSet(directory), directory: directory)]
                }
                throw CadangError(.usage, "no backup set '\(setID)' in \(config.repository.path)",
                                  fix: "see the set ids with 'cadang list'")
            }
            if let job, set.job != job {
                throw CadangError(.usage, "set \(set.id) belongs to job '\(set.job)', not '\(job)'",
                                  fix: "leave out the job, or see its sets with 'cadang list \(job)'")
            }
            return [.set(set)]
        }
        let sets = repository.sets(job: job)
        var targets = sets.map(Target.set)
        // A folder in `sets/` is only ever renamed there with its manifest, so one without a valid
        // manifest has been damaged since. It is reported under its job when that can still be read,
        // and under every job when not (it may be one of theirs).
        let valid = Set(sets.map(\.id))
        let allValid = job == nil ? valid : Set(repository.sets().map(\.id))
        for name in FileSystem.contents(of: setsFolder) where SetID.isValid(name) && !allValid.contains(name) {
            // Committed by a concurrent run since the listing above: a set like the others.
            if let set = repository.set(id: name) {
                if job == nil || set.job == job { targets.append(.set(set)) }
                continue
            }
            let directory = setsFolder.appendingPathComponent(name, isDirectory: true)
            let owner = Self.jobOfUnreadableSet(directory)
            if let job, let owner, owner != job { continue }
            targets.append(.unreadable(id: name, job: owner, directory: directory))
        }
        targets.sort { $0.id < $1.id }
        // A job neither in the config nor in the repository is most likely a typo.
        if let job, targets.isEmpty, config.job(named: job) == nil {
            throw CadangError(.usage, "\(session.configPath) has no job named '\(job)' and the repository has no sets of it",
                              fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
        }
        return targets
    }

    /// The `job` of a manifest that no longer passes as one, if that much can still be read.
    private static func jobOfUnreadableSet(_ directory: URL) -> String? {
        struct JobOnly: Decodable { var job: String }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(Manifest.fileName)) else { return nil }
        return (try? JSONDecoder().decode(JobOnly.self, from: data))?.job
    }

    /// The checks of one committed set, as `verify --set ID` makes them; nil when it vanished meanwhile.
    func report(of set: BackupSet, session: Session) -> Report? {
        verify(.set(set), registry: session.registry, session: session)
    }

    /// Checks one folder; `nil` when it vanished meanwhile (a concurrent prune).
    private func verify(_ target: Target, registry: PluginRegistry, session: Session) -> Report? {
        switch target {
        case .unreadable(let id, let job, let directory):
            guard FileSystem.exists(directory) else { return nil }
            let manifest = directory.appendingPathComponent(Manifest.fileName)
            let problem = FileSystem.exists(manifest) ? "unreadable or invalid; the files of this set cannot be checked"
                                                      : "missing; the files of this set cannot be checked"
            return Report(id: id, job: job, status: "damaged", time: nil, directory: directory.path, files: 0,
                          problems: [Problem(path: Manifest.fileName, problem: problem)])
        case .set(let set):
            var problems: [Problem] = []
            let progress = Progress.step("verify \(set.job) \(set.id)", total: set.totalBytes, unit: .bytes)
            defer { progress.finish() }
            for artifact in set.manifest.artifacts {
                session.logger.debug("verifying \(set.id)/\(artifact.path) (\(artifact.bytes) bytes)")
                problems += check(artifact, in: set, registry: registry, progress: progress).map { Problem(path: artifact.path, problem: $0) }
            }
            problems += extraFiles(in: set)
            if !problems.isEmpty && !FileSystem.exists(set.directory.appendingPathComponent(Manifest.fileName)) {
                return nil
            }
            return Report(id: set.id, job: set.job, status: problems.isEmpty ? "ok" : "damaged", time: set.manifest.time,
                          directory: set.directory.path, files: set.manifest.artifacts.count, problems: problems)
        }
    }

    /// The problems of one artifact; empty when it matches the manifest.
    private func check(_ artifact: Artifact, in set: BackupSet, registry: PluginRegistry, progress: ProgressStep) -> [String] {
        let parts = artifact.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !artifact.path.isEmpty, !artifact.path.hasPrefix("/"), artifact.path != Manifest.fileName,
              !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return ["the manifest gives an invalid path; not checked"]
        }
        let url = set.url(of: artifact)
        var info = stat()
        if lstat(url.path, &info) != 0 {
            let code = errno
            return [code == ENOENT || code == ENOTDIR ? "missing" : "cannot be read: \(String(cString: strerror(code)))"]
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return ["not a regular file (the manifest lists a file of \(artifact.bytes) bytes)"]
        }
        var problems: [String] = []
        let size = Int64(info.st_size)
        if size != artifact.bytes {
            problems.append("size differs (expected \(artifact.bytes) bytes, found \(size))")
        } else {
            do {
                let (digest, bytes) = try FileSystem.sha256(of: url, progress: progress)
                if bytes != artifact.bytes {
                    problems.append("size differs (expected \(artifact.bytes) bytes, read \(bytes))")
                } else if digest != artifact.sha256.lowercased() {
                    problems.append("SHA-256 differs (expected \(artifact.sha256), found \(digest))")
                }
            } catch let error as CadangError {
                return problems + [error.message]
            } catch {
                return problems + ["cannot be read: \(error)"]
            }
        }
        if let checker = registry.checker(plugin: artifact.plugin, format: artifact.format) {
            problems += checker.problems(of: url, format: artifact.format)
        }
        return problems
    }

    /// Files and folders in the set's folder that the manifest does not list.
    private func extraFiles(in set: BackupSet) -> [Problem] {
        let listed = Set(set.manifest.artifacts.map(\.path))
        var folders: Set<String> = []
        for path in listed {
            var parts = path.split(separator: "/").map(String.init)
            while parts.count > 1 {
                parts.removeLast()
                folders.insert(parts.joined(separator: "/"))
            }
        }
        var problems: [Problem] = []
        func walk(_ directory: URL, _ prefix: String) {
            for name in FileSystem.contents(of: directory).sorted() {
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                if prefix.isEmpty && name == Manifest.fileName { continue }
                if listed.contains(relative) { continue }
                let url = directory.appendingPathComponent(name)
                var info = stat()
                let isFolder = lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                if isFolder && folders.contains(relative) {
                    walk(url, relative)
                } else {
                    problems.append(Problem(path: relative, problem: isFolder ? "folder not in the manifest" : "not in the manifest"))
                }
            }
        }
        walk(set.directory, "")
        return problems
    }
}
