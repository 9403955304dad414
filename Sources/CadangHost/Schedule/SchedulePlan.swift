import CadangCore
import Foundation

/// The changes an install or remove makes, in order: files written and deleted, tools called.
/// `--dry-run` prints them; otherwise every tool is found first, so a missing one changes nothing.
struct SchedulePlan {
    enum Step {
        /// Write a generated file (0644).
        case write(URL, String)
        /// Delete a generated file.
        case delete(URL)
        /// Call a tool; `fix` is said when it fails.
        case call(String, [String], fix: String)
        /// Rewrite cadang's block of the user's crontab (`crontab -l`, then `crontab -`).
        case crontab(config: String, change: @Sendable (inout CronBlock) -> Void, shown: [String])
    }

    var steps: [Step] = []
    /// Said after the steps: what the admin should know (lingering, nothing to do).
    var notes: [String] = []

    /// Prints the steps (dry run) or makes them, saying each.
    func apply(dryRun: Bool, say: (String) -> Void) throws {
        if dryRun {
            for step in steps { say(describe(step)) }
            say("dry run: nothing written, nothing run")
            return
        }
        var tools: [String: ExternalCommand] = [:]
        for step in steps {
            switch step {
            case .call(let name, _, let fix): tools[name] = try ExternalCommand.require(name, fix: fix)
            case .crontab: tools["crontab"] = try ExternalCommand.require("crontab", fix: "install cron (apt-get install cron), or leave out --cron")
            default: break
            }
        }
        for step in steps {
            switch step {
            case .write(let url, let text):
                try GeneratedFile.write(text, to: url)
                say("wrote \(url.path)")
            case .delete(let url):
                try FileSystem.remove(url)
                say("deleted \(url.path)")
            case .call(let name, let arguments, let fix):
                guard let tool = tools[name] else { continue }
                let output = try tool.run(arguments)
                guard output.status == 0 else {
                    throw CadangError(.failure, "\(([name] + arguments).joined(separator: " ")) failed: \(output.reason)",
                                      fix: Self.systemdDown(output.stderr) ? Self.notRunningFix : fix)
                }
                say("ran \(([name] + arguments).joined(separator: " "))")
            case .crontab(let config, let change, _):
                guard let tool = tools["crontab"] else { continue }
                let current = try tool.run(["-l"])
                // `crontab -l` exits 1 with "no crontab for USER" when there is none yet.
                guard current.status == 0 || current.stderr.contains("no crontab") else {
                    throw CadangError(.failure, "crontab -l failed: \(current.reason)", fix: "check that this user may use cron (/etc/cron.allow)")
                }
                let (others, found) = CronBlock.parse(current.status == 0 ? current.stdout : "")
                var block = found ?? CronBlock()
                change(&block)
                try tool.check(["-"], input: block.crontab(others: others, config: config), fix: "check the lines with crontab -l")
                say("updated your crontab (crontab -l shows it)")
            }
        }
    }

    private func describe(_ step: Step) -> String {
        switch step {
        case .write(let url, let text): "would write \(url.path) (0644):\n\(text)"
        case .delete(let url): "would delete \(url.path)"
        case .call(let name, let arguments, _): "would run: \(([name] + arguments).joined(separator: " "))"
        case .crontab(_, _, let shown): "would update cadang's lines in your crontab (crontab -l, then crontab -):\n" + shown.joined(separator: "\n")
        }
    }

    /// systemctl's words when there is no systemd to talk to (a container, a chroot, WSL).
    static func systemdDown(_ stderr: String) -> Bool {
        ["not been booted with systemd", "Failed to connect to bus", "Host is down"].contains { stderr.contains($0) }
    }

    static let notRunningFix = "systemd is not running on this computer (a container or chroot?); system units can be written and linked offline with --root /, or use --cron"
}
