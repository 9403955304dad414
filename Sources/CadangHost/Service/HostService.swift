import CadangCore
import Foundation
import Logging

/// The config's sources and sets for a long-running process (`cadang serve`): the same
/// operations the commands run — ingest, browse, the verbs' operations, the set list — with their
/// reports returned instead of printed. It knows no plugin: it asks each source for a capability.
///
/// Every method blocks (databases, files, Odoo) and may be called from several threads at once;
/// each builds the plugin instances it needs, so no state is shared between calls.
public final class HostService: @unchecked Sendable {
    // Immutable after init; Config is a value type read only.
    private let config: Config
    private let session: Session

    /// The service of `session`'s config (loaded and validated; the `serve:` section's problems too).
    public init(session: Session) throws {
        self.session = session
        config = try session.loadConfig()
        if !config.serveProblems.isEmpty { throw ConfigError(config.serveProblems) }
    }

    /// The `serve:` section, or its defaults.
    public var settings: ServeSettings { config.serve ?? .defaults }

    /// The config file, for messages.
    public var configPath: String { session.configPath }

    /// The sources that adopt `capability` (e.g. `(any RecordBrowsing).self`), in config order;
    /// a source that cannot be built counts as none.
    public func sources<T>(adopting capability: T.Type) -> [String] {
        let builder = JobBuilder(config: config, logger: session.logger)
        return config.components.filter { $0.kind == .source }.compactMap { component in
            guard let built = try? builder.makeSource(component), built is T else { return nil }
            return component.name
        }
    }

    /// The verbs source `name` adds operations to, with their declarations.
    public func operations(of name: String) -> [OperationSpec] {
        config.component(.source, name)?.plugin.descriptor.operations ?? []
    }

    /// Stores the items of `body` in source `name` (`ItemIngesting`).
    public func ingest(source name: String, body: [UInt8], origin: String) throws -> [IngestedItem] {
        let source: any ItemIngesting = try capable(name, "takes no items over the network")
        return try source.ingest(body, origin: origin, state: state(of: name))
    }

    /// What source `name`'s list offers (`RecordBrowsing`).
    public func browsing(source name: String) throws -> BrowseDeclaration {
        let source: any RecordBrowsing = try capable(name, "has no records to list")
        return source.browsing
    }

    /// One page of source `name`'s records; `parameters` are checked against its declaration first.
    public func browse(source name: String, parameters: [String: String], page: Int) throws -> BrowsePage {
        let source: any RecordBrowsing = try capable(name, "has no records to list")
        let declaration = source.browsing
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard let filter = declaration.filter(key) else {
                throw CadangError(.usage, "unknown filter '\(key)' for source '\(name)'",
                                  fix: "filters: " + (declaration.filters.map(\.name) + ["page"]).joined(separator: ", "))
            }
            if let problem = filter.problem(with: value) { throw CadangError(.usage, problem) }
        }
        return try ErrorReport.attributed(to: "listing source '\(name)'") {
            try source.browse(BrowseQuery(parameters: parameters, page: page), state: state(of: name))
        }
    }

    /// Everything source `name` keeps about record `key`, or nil.
    public func record(source name: String, key: String) throws -> RecordDetail? {
        let source: any RecordBrowsing = try capable(name, "has no records to list")
        return try ErrorReport.attributed(to: "reading source '\(name)'") { try source.record(key, state: state(of: name)) }
    }

    /// Runs source `name`'s operation for `verb` with `options` (its declared option names, values
    /// as on the command line; a list's values one per line), as `cadang VERB --yes` would: lines
    /// are collected, no question is asked. The prune verb gets the record rules of the job's policy.
    public func perform(_ verb: OperationVerb, source name: String, options: [String: String], dryRun: Bool,
                        lockWait: Double?) throws -> OperationReply {
        guard config.component(.source, name) != nil else { throw UnknownSourceError(source: name, known: sources(adopting: Any.self)) }
        let runner = OperationRunner(config: config, session: session)
        guard let participant = try runner.participants(verb, job: nil).first(where: { $0.name == name }) else {
            throw UnknownSourceError(source: name, known: [], reason: "has no \(verb.rawValue) operation")
        }
        var rules: [String: RecordRules] = [:]
        if verb == .prune {
            for job in config.jobs where job.sources.contains(where: { $0.source == name }) {
                if let found = try PruneAction.recordRules(of: job, config: config, session: session) {
                    rules[name] = found
                    break
                }
            }
        }
        let lines = LineCollector()
        let output = OperationOutput(say: { lines.append($0) }, ask: { _ in nil })
        let job = config.jobs.first { $0.sources.contains { $0.source == name } }?.name
        let outcomes = try runner.run(verb, [participant], job: job, options: options,
                                      flags: .init(dryRun: dryRun, json: false, yes: true, lockWait: lockWait, output: output),
                                      recordRules: rules)
        let result = outcomes.first?.result ?? OperationResult()
        return OperationReply(status: result.status, report: result.report, items: result.items, lines: lines.lines)
    }

    /// Source `name`'s figures and charts (`DashboardProviding`).
    public func dashboard(source name: String) throws -> Dashboard {
        let source: any DashboardProviding = try capable(name, "has no dashboard")
        return try ErrorReport.attributed(to: "the dashboard of source '\(name)'") { try source.dashboard(state: state(of: name)) }
    }

    /// The committed sets of every job, oldest first, with their copies (`list --json`).
    public func sets() -> [SetSummary] {
        let copies = ArchivedCopies(config: config, logger: session.logger)
        return Repository(url: config.repository).sets(job: nil).map { SetSummary($0, copies: copies.of($0)) }
    }

    /// Re-reads the newest set of every job of the config (or of `only`) and checks it as
    /// `cadang verify --set` does (every file's size and SHA-256, its format); jobs without a set
    /// are left out.
    public func checkNewestSets(of only: String? = nil) -> [SetCheck] {
        let repository = Repository(url: config.repository)
        let verifier = VerifyAction(job: nil, setID: nil, json: true)
        return config.jobs.filter { only == nil || $0.name == only }.compactMap { job in
            guard let set = repository.sets(job: job.name).last, let report = verifier.report(of: set, session: session) else { return nil }
            return SetCheck(setID: set.id, job: job.name, problems: report.problems.map { "\($0.path): \($0.problem)" }, checkedAt: Date())
        }
    }

    /// The jobs the server's duties run for: those with a source that takes items over the network.
    public var dutyJobs: [String] {
        let ingesting = Set(sources(adopting: (any ItemIngesting).self))
        return config.jobs.filter { $0.sources.contains { ingesting.contains($0.source) } }.map(\.name)
    }

    /// Runs one duty for `job` as its command does, quietly (its lines go to the debug log);
    /// returns the exit status; the verify duty also gives the set checks it made.
    public func run(_ duty: ServeDuty, job: String, lockWait: Double) throws -> (status: ExitStatus, checks: [SetCheck]) {
        let quiet = Session(registry: session.registry, configPath: session.configPath, quiet: true, logger: session.logger)
        switch duty {
        case .sync:
            return (try RunAction(jobs: [job], time: nil, dryRun: false, json: false, force: false, lockWait: lockWait).execute(in: quiet), [])
        case .cleanup:
            return (try PruneAction(job: job, rules: [:], dryRun: false, json: false, allowRemoveAll: false, lockWait: lockWait).execute(in: quiet), [])
        case .verify:
            let checks = checkNewestSets(of: job)
            var status: ExitStatus = checks.contains { !$0.problems.isEmpty } ? .damaged : .success
            let names = config.job(named: job)?.sources.map(\.source) ?? []
            for name in Array(Set(names)).sorted() where operations(of: name).contains(where: { $0.verb == .verify }) {
                let reply = try perform(.verify, source: name, options: [:], dryRun: false, lockWait: lockWait)
                for line in reply.lines { session.logger.debug("\(line)") }
                if reply.status != .success, status == .success { status = reply.status }
            }
            return (status, checks)
        }
    }

    /// The jobs of the config, in order, with their sources.
    public var jobs: [(name: String, sources: [String])] {
        config.jobs.map { ($0.name, $0.sources.map(\.source)) }
    }

    /// Throws unless the repository folder and every listed source's store can be read.
    public func checkHealth() throws {
        for name in sources(adopting: (any RecordBrowsing).self) {
            _ = try ErrorReport.attributed(to: "reading source '\(name)'") {
                let source: any RecordBrowsing = try capable(name, "has no records to list")
                return try source.browse(BrowseQuery(pageSize: 1), state: state(of: name))
            }
        }
        var isFolder: ObjCBool = false
        let path = config.repository.path
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.isReadableFile(atPath: path) else {
            throw CadangError(.failure, "repository \(path) cannot be read", fix: "check that the drive is there and the folder readable by this user")
        }
    }

    private func state(of name: String) -> SourceState {
        SourceState(repository: Repository(url: config.repository), source: name)
    }

    /// Source `name` built from the config, as `T`; throws `UnknownSourceError` when there is none or it is not one.
    private func capable<T>(_ name: String, _ otherwise: String) throws -> T {
        guard let component = config.component(.source, name) else {
            throw UnknownSourceError(source: name, known: sources(adopting: T.self))
        }
        let built = try JobBuilder(config: config, logger: session.logger).makeSource(component)
        guard let source = built as? T else { throw UnknownSourceError(source: name, known: sources(adopting: T.self), reason: otherwise) }
        return source
    }
}

/// What an operation run by the service ended with.
public struct OperationReply: Sendable {
    /// Its exit status.
    public var status: ExitStatus
    /// Its `--json` report (the object `cadang VERB --json` prints under the source's name).
    public var report: (any Encodable & Sendable)?
    /// The keys of the records it acted on (or, in a dry run, would).
    public var items: [String]?
    /// The lines it would have printed.
    public var lines: [String]
}

/// What the checks of one set found.
public struct SetCheck: Sendable, Encodable {
    public var setID: String
    public var job: String
    /// Empty when every file is as the manifest says.
    public var problems: [String]
    public var checkedAt: Date
}

/// A source the config does not have, or one without what was asked of it (HTTP 404).
public struct UnknownSourceError: Error, Sendable, CustomStringConvertible {
    public var source: String
    /// The sources that would do.
    public var known: [String]
    /// Why this one does not (nil: it is not in the config).
    public var reason: String? = nil

    public var description: String {
        let which = known.isEmpty ? "" : " (sources: \(known.joined(separator: ", ")))"
        return "source '\(source)' " + (reason ?? "is not in the config") + which
    }
}

/// Lines an operation says, gathered from whichever thread it runs on.
private final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var gathered: [String] = []

    func append(_ line: String) { lock.withLock { gathered.append(line) } }
    var lines: [String] { lock.withLock { gathered } }
}
