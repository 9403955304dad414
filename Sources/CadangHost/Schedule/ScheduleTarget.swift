import CadangCore
import Foundation

/// Where generated schedules live and which manager runs them: system-wide or the user's
/// (`--user`), systemd or cron (`--cron`), in this system or in one mounted at `--root DIR`.
public struct ScheduleTarget: Sendable {
    /// `--root DIR`: a system image or mounted system; nothing is started there.
    public var root: String?
    /// `--user`: the user's own systemd manager (or crontab).
    public var user: Bool
    /// `--cron`: cron instead of systemd.
    public var cron: Bool
    /// `$HOME`, for `--user` units.
    public var home: String

    /// Creates a target.
    public init(root: String?, user: Bool, cron: Bool, home: String = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) {
        self.root = root.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.user = user
        self.cron = cron
        self.home = home
    }

    /// `path` inside the root.
    func inRoot(_ path: String) -> URL {
        URL(fileURLWithPath: (root ?? "") + path).standardizedFileURL
    }

    /// The unit folder: `/etc/systemd/system`, or `~/.config/systemd/user`.
    var unitFolder: URL { inRoot(user ? home + "/.config/systemd/user" : "/etc/systemd/system") }

    /// The system cron file. Debian's cron ignores `/etc/cron.d` names with a dot, so it has none.
    var cronFile: URL { inRoot("/etc/cron.d/cadang") }

    /// `systemctl`'s mode flags: `--user`, or `--root=DIR` (offline: links, never starts).
    var systemctlFlags: [String] { (user ? ["--user"] : []) + (root.map { ["--root=\($0)"] } ?? []) }

    /// Whether units are switched on by a running manager (no `--root`).
    var live: Bool { root == nil }

    /// Refuses combinations that mean nothing.
    func validate() throws {
        if cron, user, root != nil {
            throw CadangError(.usage, "--root cannot be used with --user --cron: a user's crontab is kept by cron itself",
                              fix: "drop --root, or drop --user to write \(cronFile.path)")
        }
    }
}
