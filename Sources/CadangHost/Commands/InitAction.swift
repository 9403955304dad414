import CadangCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `cadang init --KEY VALUE [--repository DIR] [--archive DIR] [--force]` (e.g. `--kasir DB`): writes
/// the commented starter config (mode 0600) of the source plugin whose starter key is KEY, checked
/// as `cadang config check` would before it is written.
public struct InitAction {
    /// The starter key (`kasir`).
    public var starter: String
    /// Its value, as given (e.g. the database; relative paths start at the config file's folder).
    public var value: String
    /// `--repository`, as given; default `./backups`.
    public var repository: String?
    /// `--archive`, as given: a folder (usually on a USB drive) for a `.tar.gz` of every `auto` set.
    public var archive: String?
    /// `--force`: replace an existing config file.
    public var force: Bool

    /// Creates the action.
    public init(starter: String, value: String, repository: String?, archive: String? = nil, force: Bool) {
        self.starter = starter
        self.value = value
        self.repository = repository
        self.archive = archive
        self.force = force
    }

    /// Writes the config; refuses to replace an existing file without `--force` (exit 2).
    public func execute(in session: Session) throws -> ExitStatus {
        let path = session.configPath
        guard let provider = session.registry.starters.first(where: { $0.starterKey == starter }) else {
            let keys = session.registry.starters.map { "--\($0.starterKey)" }
            throw CadangError(.usage, "this build of cadang has no starter config for --\(starter)",
                              fix: keys.isEmpty ? "write the config by hand (see Docs/configuration.md)" : "use \(keys.joined(separator: " or "))")
        }
        guard !value.isEmpty else {
            throw CadangError(.usage, "--\(starter) needs a value", fix: "see cadang init --help")
        }
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
                                     fileName: url.lastPathComponent)
        let text = provider.starterConfig(request)
        // Checked before anything is written, the way `config check` would, so a bad file is never left behind.
        do {
            try validate(try ConfigLoader(registry: session.registry).parse(text, file: path, url: url), session: session)
        } catch let error as ConfigError {
            throw CadangError(.failure, "this build of cadang cannot use the starter config: \(error.diagnostics.map(\.description).joined(separator: "; "))")
        }

        try write(Array(text.utf8), to: url, path: path)

        // The file on disk, read back through the normal loader.
        let config = try ConfigLoader(registry: session.registry).load(path: path)
        try validate(config, session: session)

        var warnings = provider.starterWarnings(request, configFolder: config.baseDirectory)
        let parent = config.repository.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path) {
            warnings.append("the repository's folder \(parent.path) does not exist (a drive not mounted?); runs exit 75 until it does")
        }
        for warning in warnings { session.logger.warning("\(warning)") }
        session.say("wrote \(path) — next: \(nextCommand(path: path))")
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

    /// `cadang run auto`, with `--config` when the file is not the one found by default.
    private func nextCommand(path: String) -> String {
        let environment = ProcessInfo.processInfo.environment["CADANG_CONFIG"]
        if path == (environment ?? "cadang.yaml") || (environment == nil && path == "./cadang.yaml") {
            return "cadang run auto"
        }
        return "cadang run auto --config \(Self.shellQuoted(path))"
    }

    /// A word the shell reads back unchanged.
    static func shellQuoted(_ text: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-+:=@,"))
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ plain.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
