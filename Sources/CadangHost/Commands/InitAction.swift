import CadangCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `cadang init --KEY VALUE [--NAME VALUE…] [--repository DIR] [--archive DIR] [--force]` (e.g.
/// `--kasir DB`): writes the commented starter config (mode 0600) of the source plugin whose starter
/// key is KEY, checked as `cadang config check` would before it is written. `--NAME VALUE` are that
/// starter's own options (`StarterConfigProviding.starterOptions`); any other is refused.
public struct InitAction {
    /// The `--NAME VALUE` options beside the host's own, by name: one starter key and its value,
    /// plus that starter's options.
    public var given: [String: String]
    /// `--repository`, as given; default `./backups`.
    public var repository: String?
    /// `--archive`, as given: a folder (usually on a USB drive) for a `.tar.gz` of every main-job set.
    public var archive: String?
    /// `--force`: replace an existing config file.
    public var force: Bool

    /// Creates the action from the options as given.
    public init(given: [String: String], repository: String?, archive: String? = nil, force: Bool) {
        self.given = given
        self.repository = repository
        self.archive = archive
        self.force = force
    }

    /// Creates the action for one starter and its value.
    public init(starter: String, value: String, repository: String?, archive: String? = nil, force: Bool) {
        self.init(given: [starter: value], repository: repository, archive: archive, force: force)
    }

    /// The starter the options name, its value and its own options; refuses (exit 2) none, two, or
    /// an option that starter does not declare.
    func resolve(_ starters: [any StarterConfigProviding.Type]) throws -> (provider: any StarterConfigProviding.Type, value: String, options: [String: String]) {
        let keys = starters.map { "--\($0.starterKey)" }
        let named = starters.filter { given[$0.starterKey] != nil }
        guard let provider = named.first else {
            if starters.isEmpty {
                throw CadangError(.usage, "this build of cadang has no starter configs", fix: "write the config by hand (see Docs/configuration.md)")
            }
            let unknown = given.keys.sorted().map { "--\($0)" }
            throw CadangError(.usage, unknown.isEmpty ? "cadang init needs \(Self.alternatives(keys))"
                                                      : "this build of cadang has no starter config for \(unknown.joined(separator: " "))",
                              fix: unknown.isEmpty ? "see cadang init --help" : "use \(Self.alternatives(keys)) (see cadang init --help)")
        }
        guard named.count == 1 else {
            throw CadangError(.usage, "cadang init writes one starter config; give only one of \(named.map { "--\($0.starterKey)" }.joined(separator: ", "))",
                              fix: "run it once per config, with --config FILE for the second")
        }
        let key = provider.starterKey
        let declared = Set(provider.starterOptions.map(\.name))
        let extra = given.filter { $0.key != key }
        if let unknown = extra.keys.sorted().first(where: { !declared.contains($0) }) {
            let own = provider.starterOptions.map { "--\($0.name) \($0.valueName)" }
            throw CadangError(.usage, "cadang init --\(key) has no option --\(unknown)",
                              fix: "its options: " + (own + ["--repository DIR", "--archive DIR", "--force"]).joined(separator: ", "))
        }
        let value = given[key] ?? ""
        guard !value.isEmpty else {
            throw CadangError(.usage, "--\(key) needs a value", fix: "see cadang init --help")
        }
        if let empty = extra.keys.sorted().first(where: { extra[$0]?.isEmpty ?? true }) {
            throw CadangError(.usage, "--\(empty) needs a value", fix: "see cadang init --help")
        }
        return (provider, value, extra)
    }

    /// "--a", "--a or --b", "--a, --b or --c".
    private static func alternatives(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
    }

    /// Writes the config; refuses to replace an existing file without `--force` (exit 2).
    public func execute(in session: Session) throws -> ExitStatus {
        let path = session.configPath
        let (provider, value, options) = try resolve(session.registry.starters)
        if let repository, repository.isEmpty {
            throw CadangError(.usage, "--repository needs a folder", fix: "e.g. --repository /media/usb/backups, or leave it out for ./backups")
        }
        if let archive, archive.isEmpty {
            throw CadangError(.usage, "--archive needs a folder", fix: "e.g. --archive /media/usb/archive")
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw CadangError(.usage, "\(path) is a folder, not a config file", fix: "pass --config FILE.yaml")
            }
            if !force {
                throw CadangError(.usage, "\(path) already exists; not overwriting it",
                                  fix: "pass --force to replace it, or --config OTHER.yaml to write a new one elsewhere")
            }
        }
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CadangError(.usage, "cannot write \(path): the folder \(folder.path) does not exist", fix: "create it first")
        }

        let request = StarterRequest(value: value, repository: repository ?? "./backups", archive: archive,
                                     fileName: url.lastPathComponent, options: options, language: .ofLocale())
        let text = provider.starterConfig(request)
        // `${VAR}` values (secrets) whose variable is not set here are checked with a stand-in and
        // reported: `config check` and runs refuse the file until the variable is exported.
        let environment = ProcessInfo.processInfo.environment
        let unset = Self.variables(in: text).filter { environment[$0] == nil }
        let loader = ConfigLoader(registry: session.registry,
                                  environment: environment.merging(unset.map { ($0, "unset") }) { current, _ in current })
        // Checked before anything is written, the way `config check` would, so a bad file is never left behind.
        do {
            try validate(try loader.parse(text, file: path, url: url), session: session)
        } catch let error as ConfigError {
            throw CadangError(.failure, "this build of cadang cannot use the starter config: \(error.diagnostics.map(\.description).joined(separator: "; "))")
        }

        try write(Array(text.utf8), to: url, path: path)

        // The file on disk, read back through the normal loader.
        let config = try loader.load(path: path)
        try validate(config, session: session)

        var warnings = provider.starterWarnings(request, configFolder: config.baseDirectory)
        for name in unset {
            warnings.append("the environment variable \(name) is not set; export \(name)=… (e.g. in the service's environment) "
                            + "before 'cadang config check' or a run — until then they refuse \(path) (exit 2)")
        }
        let parent = config.repository.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path) {
            warnings.append("the repository's folder \(parent.path) does not exist (a drive not mounted?); runs exit 75 until it does")
        }
        for warning in warnings { session.logger.warning("\(warning)") }
        session.say("wrote \(path) — next: \(nextCommand(job: provider.starterJob, path: path))")
        return .success
    }

    /// What `config check` does beyond loading: build every job (plugins check their options).
    private func validate(_ config: Config, session: Session) throws {
        if !config.problems.isEmpty { throw ConfigError(config.problems) }
        let builder = JobBuilder(config: config, logger: session.logger)
        for job in config.jobs { _ = try builder.build(job) }
    }

    /// Writes the file with mode 0600: without `--force` by an exclusive create (never replacing a
    /// file that appeared meanwhile); with it, by a crash-safe replace.
    private func write(_ bytes: [UInt8], to url: URL, path: String) throws {
        if force {
            try FileSystem.writeAtomically(bytes, to: url)
        } else {
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                if errno == EEXIST {
                    throw CadangError(.usage, "\(path) already exists; not overwriting it", fix: "pass --force to replace it")
                }
                throw CadangError.system("create", path, errno: errno)
            }
            do {
                try FileSystem.writeAll(fd, bytes, path: path)
                if fsync(fd) != 0 { throw CadangError.system("flush", path, errno: errno) }
                close(fd)
            } catch {
                close(fd)
                unlink(url.path)
                throw error
            }
            try FileSystem.sync(url.deletingLastPathComponent())
        }
        // The mode is exact whatever the umask.
        if chmod(url.path, 0o600) != 0 { throw CadangError.system("set the mode of", path, errno: errno) }
    }

    /// `cadang run JOB`, with `--config` when the file is not the one found by default.
    private func nextCommand(job: String, path: String) -> String {
        let environment = ProcessInfo.processInfo.environment["CADANG_CONFIG"]
        if path == (environment ?? "cadang.yaml") || (environment == nil && path == "./cadang.yaml") {
            return "cadang run \(job)"
        }
        return "cadang run \(job) --config \(Self.shellQuoted(path))"
    }

    /// The variables `${NAME}` in the text's values (not in comment lines; `$${` is a literal), each once, in order.
    static func variables(in text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            var rest = Substring(line)
            while let dollar = rest.firstIndex(of: "$") {
                let after = rest[rest.index(after: dollar)...]
                if after.hasPrefix("$") {
                    rest = after.dropFirst()
                } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
                    let name = String(after[after.index(after: after.startIndex)..<close])
                    if !names.contains(name) { names.append(name) }
                    rest = after[after.index(after: close)...]
                } else {
                    rest = after
                }
            }
        }
        return names
    }

    /// A word the shell reads back unchanged.
    static func shellQuoted(_ text: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-+:=@,"))
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ plain.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
