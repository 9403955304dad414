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

    /// The language of the menu's own lines (the locale's, `Language.ofLocale`).
    public var language: Language

    /// How many database sets the restore pick list offers.
    public static let restoreChoices = 5

    /// Creates the action. `perform` defaults to printing errors like the command line does.
    public init(lockWait: Double? = nil, language: Language = .ofLocale(),
                readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                perform: @escaping (() throws -> ExitStatus) -> ExitStatus = ErrorReport.printing) {
        self.lockWait = lockWait
        self.language = language
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
        let text = MenuText(language: language)
        var first = true
        var inputEnded = false
        while true {
            if !first { terminal.say("") }
            first = false
            showMenu(entries, config: config, terminal: terminal, text: text)
            guard let line = terminal.ask(text.choose("1-\(entries.count)"), readLine: readLine) else {
                terminal.endOfInput(text.endOfInput)
                return .success
            }
            guard let entry = Self.choice(line, entries) else {
                terminal.say(Self.invalid(line, range: "1-\(entries.count)", text))
                continue
            }
            if case .quit = entry {
                terminal.say(text.bye)
                return .success
            }
            terminal.say("")
            let status: ExitStatus
            switch entry {
            case .quit:
                return .success
            case .job(let definition):
                terminal.say(text.running(definition.name))
                status = guarded(terminal) {
                    try RunAction(jobs: [definition.name], time: nil, dryRun: false, json: false, force: false, lockWait: lockWait)
                        .execute(in: session)
                }
            case .list:
                status = guarded(terminal) { try ListAction(job: nil, json: false).execute(in: session) }
            case .verify:
                terminal.say(text.verifying)
                status = guarded(terminal) { try VerifyAction(job: nil, setID: nil, json: false).execute(in: session) }
            case .prune:
                status = guarded(terminal) {
                    let preview = try PruneAction(job: nil, rules: [:], dryRun: true, json: false, allowRemoveAll: false, lockWait: lockWait)
                        .execute(in: session)
                    guard preview == .success else { return preview }
                    guard OperationOutput.isYes(terminal.ask(text.confirmPrune, readLine: readLine)) else {
                        terminal.say(text.nothingDeleted)
                        return .success
                    }
                    return try PruneAction(job: nil, rules: [:], dryRun: false, json: false, allowRemoveAll: false, lockWait: lockWait)
                        .execute(in: session)
                }
            case .restore(let source):
                status = guarded(terminal) {
                    try restore(source, config: config, session: session, terminal: terminal, text: text, inputEnded: &inputEnded)
                }
            }
            // In Indonesian the actions' own lines are English, so the outcome is always said.
            if status != .success || language == .indonesian { terminal.say(text.outcome(status)) }
            if inputEnded {
                terminal.endOfInput(text.endOfInput)
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

    private func showMenu(_ entries: [Entry], config: Config, terminal: MenuTerminal, text: MenuText) {
        terminal.say(terminal.bold(text.title))
        terminal.say(text.configLabel + config.file.path)
        terminal.say(text.repositoryLabel + config.repository.path)
        terminal.say("")
        let width = String(entries.count).count
        for (index, entry) in entries.enumerated() {
            let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1))"
            terminal.say("  \(number) " + label(entry, terminal: terminal, text: text))
        }
    }

    private func label(_ entry: Entry, terminal: MenuTerminal, text: MenuText) -> String {
        switch entry {
        case .job(let job):
            let description = job.description.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            let label = text.job(job.name, description: description, recommended: job.name == "auto")
            return job.name == "auto" ? terminal.bold(label) : label
        case .list: return text.list
        case .restore(let source): return source.restoreMenuLabel(language)
        case .verify: return text.verify
        case .prune: return text.prune
        case .quit: return text.quit
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

    static func invalid(_ line: String, range: String, _ text: MenuText) -> String {
        let typed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = typed.count > 20 ? String(typed.prefix(20)) + "…" : typed
        return text.invalid(typed.isEmpty ? nil : shown, range: range)
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
                         terminal: MenuTerminal, text: MenuText, inputEnded: inout Bool) throws -> ExitStatus {
        let repository = Repository(url: config.repository)
        let candidates = Self.restoreCandidates(repository, source: source, limit: Self.restoreChoices)
        guard !candidates.isEmpty else {
            terminal.say(text.noSnapshot(repository: config.repository.path, dataset: source.restorableDataset))
            return .success
        }
        var chosen: (BackupSet, Artifact)?
        while chosen == nil {
            terminal.say(text.restoreWhich(source.restoreTarget.path))
            let width = String(candidates.count).count
            let sizes = candidates.map { ByteCount.format($0.1.bytes) }
            let sizeWidth = sizes.map(\.count).max() ?? 0
            for (index, (set, _)) in candidates.enumerated() {
                let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1))"
                let size = String(repeating: " ", count: sizeWidth - sizes[index].count) + sizes[index]
                terminal.say("  \(number) \(Timestamp.localDateTime(set.time))  \(size)  job \(set.job), set \(set.id)")
            }
            terminal.say("  " + String(repeating: " ", count: width - 1) + text.back)
            let range = "0-\(candidates.count)"
            guard let line = terminal.ask(text.choose(range), readLine: readLine) else {
                inputEnded = true
                return .success
            }
            let typed = Self.normalized(line)
            if ["0", "b", "back", "kembali"].contains(typed) {
                terminal.say(text.nothingRestored)
                return .success
            }
            guard let number = Int(typed), (1...candidates.count).contains(number) else {
                terminal.say(Self.invalid(line, range: range, text))
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
        terminal.say(text.plan(plan))
        let answer = terminal.ask(text.confirmRestore, readLine: readLine)
        if answer == nil { inputEnded = true }
        guard let answer, OperationOutput.isYes(Self.normalized(answer)) else {
            terminal.say(text.notRestored)
            return .success
        }
        return try RestoreAction(job: nil, setID: picked.id, destination: nil, yes: true, dryRun: false, force: false,
                                 lockWait: lockWait)
            .execute(in: session)
    }

}
