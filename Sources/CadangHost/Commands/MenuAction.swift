import CadangCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cadang menu`: the numbered menu of the old backup script, built from the config — one entry
/// per job (config order, `auto` recommended), then list, restore (when the config has a source
/// that can be restored), verify and quit.
///
/// Each entry runs the same action as its command (`run JOB`, `list`, `restore --set ID`,
/// `verify`); an action's failure is printed (one line on standard error) and the menu comes back.
/// Choices are read line by line from one input stream, so a script can drive the menu through
/// standard input; end of input quits. The menu itself exits 0 when the user quits.
public struct MenuAction {
    /// Reads one line of input without its newline; `nil` at end of input.
    public var readLine: () -> String?
    /// Runs one action: returns its exit status, printing its error (one line on standard error).
    public var perform: (() throws -> ExitStatus) -> ExitStatus
    /// `--lock-wait` for the actions that take the repository lock, seconds.
    public var lockWait: Double?

    /// How many database sets the restore pick list offers.
    public static let restoreChoices = 5

    /// Creates the action. `perform` defaults to printing errors like the command line does.
    public init(lockWait: Double? = nil,
                readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                perform: @escaping (() throws -> ExitStatus) -> ExitStatus = ErrorReport.printing) {
        self.lockWait = lockWait
        self.readLine = readLine
        self.perform = perform
    }

    /// One menu entry.
    enum Entry {
        case job(Config.JobDefinition)
        case list
        case restore(any RestorableSource)
        case verify
        case prune
        case quit
    }

    /// The entries for `config`, numbered from 1 in this order.
    static func entries(_ config: Config, restorable: (any RestorableSource)?) -> [Entry] {
        var entries = config.jobs.map(Entry.job)
        entries.append(.list)
        if let restorable { entries.append(.restore(restorable)) }
        entries.append(.verify)
        if config.jobs.contains(where: { !$0.policies.isEmpty }) { entries.append(.prune) }
        entries.append(.quit)
        return entries
    }

    /// Shows the menu until the user quits or the input ends; 0 then.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        // The menu restores what can be picked from a list of sets: a source's snapshot.
        let restorable = (try? OperationRunner(config: config, session: session).participants(.restore, job: nil))?
            .lazy.compactMap { $0.source as? any RestorableSource }.first
        let entries = Self.entries(config, restorable: restorable)
        let terminal = MenuTerminal()
        var first = true
        var inputEnded = false
        while true {
            if !first { terminal.say("") }
            first = false
            showMenu(entries, config: config, terminal: terminal)
            guard let line = terminal.ask("Choose 1-\(entries.count) (pilih nomor 1-\(entries.count)): ", readLine: readLine) else {
                terminal.endOfInput()
                return .success
            }
            guard let entry = Self.choice(line, entries) else {
                terminal.say(Self.invalid(line, range: "1-\(entries.count)"))
                continue
            }
            if case .quit = entry {
                terminal.say("Bye (sampai jumpa).")
                return .success
            }
            terminal.say("")
            let status: ExitStatus
            switch entry {
            case .quit:
                return .success
            case .job(let definition):
                terminal.say("Running job \(definition.name) … (menjalankan backup \(definition.name))")
                status = guarded(terminal) {
                    try RunAction(jobs: [definition.name], time: nil, dryRun: false, json: false, force: false, lockWait: lockWait)
                        .execute(in: session)
                }
            case .list:
                status = guarded(terminal) { try ListAction(job: nil, json: false).execute(in: session) }
            case .verify:
                terminal.say("Verifying every backup set … (memeriksa semua backup)")
                status = guarded(terminal) { try VerifyAction(job: nil, setID: nil, json: false).execute(in: session) }
            case .prune:
                status = guarded(terminal) {
                    let preview = try PruneAction(job: nil, rules: [:], dryRun: true, json: false, allowRemoveAll: false, lockWait: lockWait)
                        .execute(in: session)
                    guard preview == .success else { return preview }
                    guard OperationOutput.isYes(terminal.ask("Delete the sets marked 'remove' above? [y/N] (hapus? y = ya) ", readLine: readLine)) else {
                        terminal.say("Nothing deleted (tidak ada yang dihapus)")
                        return .success
                    }
                    return try PruneAction(job: nil, rules: [:], dryRun: false, json: false, allowRemoveAll: false, lockWait: lockWait)
                        .execute(in: session)
                }
            case .restore(let source):
                status = guarded(terminal) {
                    try restore(source, config: config, session: session, terminal: terminal, inputEnded: &inputEnded)
                }
            }
            if status != .success { terminal.say(Self.outcome(status)) }
            if inputEnded {
                terminal.endOfInput()
                return .success
            }
        }
    }

    /// Runs `body` through `perform`, keeping standard output in order with the error line.
    private func guarded(_ terminal: MenuTerminal, _ body: () throws -> ExitStatus) -> ExitStatus {
        terminal.flush()
        return perform {
            defer { terminal.flush() }
            return try body()
        }
    }

    private func showMenu(_ entries: [Entry], config: Config, terminal: MenuTerminal) {
        terminal.say(terminal.bold("Cadang — backup menu (menu backup)"))
        terminal.say("  config:     \(config.file.path)")
        terminal.say("  repository: \(config.repository.path)")
        terminal.say("")
        let width = String(entries.count).count
        for (index, entry) in entries.enumerated() {
            let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1))"
            terminal.say("  \(number) " + label(entry, terminal: terminal))
        }
    }

    private func label(_ entry: Entry, terminal: MenuTerminal) -> String {
        switch entry {
        case .job(let job):
            let what = job.description.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
                ?? "Backup \(job.name)"
            let text = "\(what) (run job \(job.name))"
            return job.name == "auto" ? terminal.bold(text + " — recommended (direkomendasikan)") : text
        case .list: return "List backups (lihat daftar backup)"
        case .restore(let source): return source.restoreMenuLabel
        case .verify: return "Verify backups (periksa backup)"
        case .prune: return "Delete old backups by the retention rules (hapus backup lama)"
        case .quit: return "Quit (keluar)"
        }
    }

    /// The entry `line` chooses: its number, or `q`/`quit`/`exit`/`keluar` for Quit.
    static func choice(_ line: String, _ entries: [Entry]) -> Entry? {
        let text = normalized(line)
        if ["q", "quit", "exit", "keluar"].contains(text) {
            return entries.last { if case .quit = $0 { true } else { false } }
        }
        guard let number = Int(text), (1...entries.count).contains(number) else { return nil }
        return entries[number - 1]
    }

    /// Trimmed, lower-cased, without a trailing `)` or `.` (`1)` reads as `1`).
    static func normalized(_ line: String) -> String {
        var text = line.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        while text.hasSuffix(")") || text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func invalid(_ line: String, range: String) -> String {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = text.count > 20 ? String(text.prefix(20)) + "…" : text
        let what = text.isEmpty ? "Nothing chosen" : "'\(shown)' is not a choice"
        return "\(what): type a number \(range) and press Enter (ketik nomor \(range) lalu Enter)."
    }

    /// A line after an action that did not succeed; its error is already on standard error.
    static func outcome(_ status: ExitStatus) -> String {
        let words: String
        switch status {
        case .success: words = "done (selesai)"
        case .failure: words = "FAILED (gagal)"
        case .usage: words = "FAILED: usage or config problem (gagal: masalah perintah atau konfigurasi)"
        case .partial: words = "done with warnings (selesai dengan peringatan)"
        case .damaged: words = "DAMAGE FOUND (ada backup yang rusak)"
        case .locked: words = "NOT DONE: another backup is using the repository (repositori sedang dipakai)"
        case .unavailable: words = "NOT DONE: the destination is not available (tujuan tidak tersedia)"
        }
        return "→ \(words), exit status \(status.rawValue)"
    }

    // MARK: Restore

    /// The newest sets holding a snapshot of `source`, newest first; before-restore sets excluded.
    static func restoreCandidates(_ repository: Repository, source: any RestorableSource, limit: Int) -> [(BackupSet, Artifact)] {
        var found: [(BackupSet, Artifact)] = []
        for set in repository.sets().reversed() where set.job != Restorer.beforeRestoreJob {
            guard let artifact = set.manifest.artifacts.first(where: { $0.dataset == source.restorableDataset }) else { continue }
            found.append((set, artifact))
            if found.count == limit { break }
        }
        return found
    }

    /// Pick list, plan, confirmation, then the same restore as `cadang restore --set ID --yes`.
    /// Sets `inputEnded` when the input ends at one of its questions (nothing is restored then).
    private func restore(_ source: any RestorableSource, config: Config, session: Session,
                         terminal: MenuTerminal, inputEnded: inout Bool) throws -> ExitStatus {
        let repository = Repository(url: config.repository)
        let candidates = Self.restoreCandidates(repository, source: source, limit: Self.restoreChoices)
        guard !candidates.isEmpty else {
            terminal.say("No backup in \(config.repository.path) holds a \(source.restorableDataset) snapshot yet: run a backup first (belum ada backup database).")
            return .success
        }
        var chosen: (BackupSet, Artifact)?
        while chosen == nil {
            terminal.say("Restore \(source.restoreTarget.path) from which backup? Newest first (pilih backup, terbaru di atas):")
            let width = String(candidates.count).count
            let sizes = candidates.map { ByteCount.format($0.1.bytes) }
            let sizeWidth = sizes.map(\.count).max() ?? 0
            for (index, (set, _)) in candidates.enumerated() {
                let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1))"
                let size = String(repeating: " ", count: sizeWidth - sizes[index].count) + sizes[index]
                terminal.say("  \(number) \(Timestamp.localDateTime(set.time))  \(size)  job \(set.job), set \(set.id)")
            }
            terminal.say("  " + String(repeating: " ", count: width - 1) + "0) back (kembali)")
            let range = "0-\(candidates.count)"
            guard let line = terminal.ask("Choose \(range) (pilih nomor \(range)): ", readLine: readLine) else {
                inputEnded = true
                return .success
            }
            let text = Self.normalized(line)
            if ["0", "b", "back", "kembali"].contains(text) {
                terminal.say("Nothing restored (tidak ada yang dipulihkan).")
                return .success
            }
            guard let number = Int(text), (1...candidates.count).contains(number) else {
                terminal.say(Self.invalid(line, range: range))
                terminal.say("")
                continue
            }
            chosen = candidates[number - 1]
        }
        guard let (set, _) = chosen else { return .success }

        // Verified before asking, so a damaged snapshot is refused (exit 4) without a question.
        let restorer = Restorer(repository: repository, source: source, tool: Session.tool, logger: session.logger)
        let (picked, artifact) = try restorer.pick(id: set.id, job: nil)
        try restorer.verify(picked, artifact)
        let plan = restorer.plan(picked, artifact, target: SnapshotRestore(source: source).target(nil))
        terminal.say("")
        terminal.say(plan.description)
        let answer = terminal.ask("Restore now? [y/N] (pulihkan sekarang? y = ya) ", readLine: readLine)
        if answer == nil { inputEnded = true }
        guard let answer, OperationOutput.isYes(Self.normalized(answer)) else {
            terminal.say("Not restored (tidak dipulihkan).")
            return .success
        }
        return try RestoreAction(job: nil, setID: picked.id, destination: nil, yes: true, dryRun: false, force: false,
                                 lockWait: lockWait)
            .execute(in: session)
    }

}
