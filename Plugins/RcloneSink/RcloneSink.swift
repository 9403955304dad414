import CadangCore
import Foundation
import Logging

/// `rclone`: copies the archives another sink of the job packs (a `targz` sink, named by
/// `archives:`) with their `.sha256`, to an rclone remote — Google Drive, S3, B2, SFTP, WebDAV, … —
/// and checks each copy there by hash; its own `keep_*` rules prune the remote folder.
///
/// Per archive (ops §4): the remote folder is listed first; a copy of the same size and hash
/// already there counts as done, a different file under the name fails and is never overwritten;
/// otherwise `rclone copy --immutable` uploads it and its hash is verified on the remote. Each
/// verified copy is recorded in the repository, and every run offers all archives of the job's
/// sets that have no record yet, so the runs missed while offline are made up for by the next one.
/// See `RemoteCopy` for the order of a run and what happens to a copy found damaged later.
public struct RcloneSink: ArchiveCopying {
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "rclone",
        summary: "Copies each archive (and its .sha256) of another sink of the job to an rclone remote (Google Drive, S3, B2, SFTP, WebDAV, …), verified there by hash; missed copies are made up by the next run; keep_* rules (none: keep all) prune the remote.",
        options: [
            OptionSpec(upstreamOption, .string, required: true,
                       doc: "The sink of the same job whose archives are copied (a targz sink), e.g. usb."),
            OptionSpec("remote", .string, required: true,
                       doc: "rclone remote and folder, e.g. gdrive:Cadang/TokoMaju: a remote set up once with 'rclone config', or defined by RCLONE_CONFIG_<NAME>_* variables. Passwords and keys do not go here."),
            OptionSpec("rclone_config", .path,
                       doc: "rclone's config file, readable by its owner only (chmod 600); default: rclone's own (~/.config/rclone/rclone.conf, or $RCLONE_CONFIG)."),
            OptionSpec("timeout", .duration, default: .duration(30),
                       doc: "How long rclone waits to connect, or for a transfer that stalls, before the copy fails (the next run tries again)."),
            OptionSpec("recheck", .integer, default: .integer(1), range: 0...1000,
                       doc: "Copies of earlier runs that each run verifies again by hash, the longest unchecked first (over WebDAV this reads them back); 0: none."),
        ] + RetentionRules.optionSpecs)

    public let upstream: String
    let remote: RcloneRemote
    let configFile: URL?
    let timeout: Double
    let recheck: Int
    let rules: RetentionRules
    let logger: Logger

    public init(configuration: PluginConfiguration) throws {
        let options = configuration.options
        guard let upstream = options.string(Self.upstreamOption), let remote = options.string("remote") else {
            throw CadangError(.usage, "sink '\(configuration.name)' needs the options '\(Self.upstreamOption)' and 'remote'")
        }
        self.upstream = upstream
        self.remote = RcloneRemote(remote)
        configFile = configuration.path("rclone_config")
        timeout = options.duration("timeout") ?? 30
        recheck = Int(options.integer("recheck") ?? 1)
        rules = try RetentionRules(options: options)
        logger = configuration.logger
    }

    /// The remote must name something and hold no secret; the timeout must be a time.
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems = RetentionRules.problems(in: options)
        if let text = options.string("remote") {
            let secrets = RcloneRemote(text).secretParameters
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(OptionProblem(option: "remote", "is empty", fix: "name an rclone remote and folder, e.g. gdrive:Cadang/TokoMaju"))
            } else if !secrets.isEmpty {
                problems.append(OptionProblem(option: "remote", "holds a secret (\(secrets.joined(separator: ", "))), which would show on rclone's command line to every user of this computer",
                                              fix: "keep it in rclone's config ('rclone config') or in RCLONE_CONFIG_<NAME>_\(secrets[0].uppercased()) (passwords obscured with 'rclone obscure')"))
            }
        }
        if let timeout = options.duration("timeout"), timeout <= 0 {
            problems.append(OptionProblem(option: "timeout", "must be longer than 0s", fix: "e.g. 30s"))
        }
        return problems
    }

    public func copyArchives(_ request: ArchiveCopyRequest) throws {
        let rclone = Rclone(program: try Rclone.locate(), remote: remote, configFile: try checkedConfigFile(), timeout: timeout)
        let records = UploadRecords(folder: try request.prepareRecordFolder(), remote: remote, job: request.set.job)
        let copy = RemoteCopy(rclone: rclone, records: records, rules: rules, recheck: recheck, logger: logger)
        try copy.run(request)
    }

    /// `rclone_config`, when set: it holds the remote's credentials, so it must be its owner's alone.
    private func checkedConfigFile() throws -> URL? {
        guard let configFile else { return nil }
        var info = stat()
        guard stat(configFile.path, &info) == 0 else {
            throw CadangError(.usage, "rclone_config \(configFile.path) cannot be read: \(String(cString: strerror(errno)))",
                              fix: "point rclone_config at the file 'rclone config' wrote, or leave it out")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CadangError(.usage, "rclone_config \(configFile.path) is not a file", fix: "point it at rclone's config file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CadangError(.usage, "rclone_config \(configFile.path) has mode \(String(mode, radix: 8)); it holds credentials, so it must be readable by its owner only",
                              fix: "chmod 600 \(configFile.path)")
        }
        return configFile
    }
}
