import Foundation
import Logging

/// The generic verbs a source can add work to.
public enum OperationVerb: String, Sendable, CaseIterable, Codable {
    case verify, restore, prune, stats
}

/// One operation a source adds to a generic verb: declared in the plugin's descriptor, so
/// `cadang plugins`, the configuration reference and option validation all come from it.
public struct OperationSpec: Sendable {
    /// The verb it joins (`cadang verify JOB` runs every verify operation of the job's sources).
    public var verb: OperationVerb
    /// One line for `cadang plugins`.
    public var summary: String
    /// Its own command-line options (`--older-than 30d` is `older_than`), validated like config options.
    public var options: [OptionSpec]
    /// Who holds the repository lock while it runs.
    public var locking: Locking

    /// Who holds the repository lock while an operation runs.
    public enum Locking: Sendable {
        /// Nobody: the operation only reads.
        case none
        /// The host, for the whole operation.
        case host
        /// The operation itself, with `context.lockWait`, once it has asked its questions (a lock
        /// held while a person thinks would stop scheduled backups).
        case operation
    }

    /// Whether it changes anything.
    public var changesData: Bool { locking != .none }

    /// Declares an operation.
    public init(_ verb: OperationVerb, summary: String, options: [OptionSpec] = [], locking: Locking) {
        self.verb = verb
        self.summary = summary
        self.options = options
        self.locking = locking
    }
}

/// A source that adds work to the generic verbs.
///
/// Contract: the host calls `perform` only for a verb the descriptor declares in `operations`,
/// with options already validated against that operation's specs (defaults filled), holding the
/// repository lock when the operation's `locking` is `.host` (with `.operation`, the operation takes
/// it itself through `context.lockWait`). Human-readable lines go to `context.output`
/// (which honours `--quiet` and `--json`); the returned report is printed under the plugin's name
/// in `--json` output. Errors are thrown as `CadangError`s; anything else is reported as a failure.
public protocol OperatingSource: Source {
    /// Carries out the operation declared for `verb`.
    func perform(_ verb: OperationVerb, context: OperationContext) throws -> OperationResult
}

/// What an operation is given.
public struct OperationContext {
    /// The job the user named, if any.
    public var job: String?
    /// The source's instance name in the config.
    public var source: String
    /// The operation's validated options.
    public var options: PluginOptions
    /// The repository.
    public var repository: Repository
    /// The source's own folder in the repository (`state/<source>/`); created on first use.
    public var state: SourceState
    /// `--dry-run`: say what would happen, change nothing.
    public var dryRun: Bool
    /// `--json`: the report is printed; lines are not.
    public var json: Bool
    /// `--yes`: do not ask before changing things.
    public var yes: Bool
    /// `--lock-wait`, seconds, for operations that take the repository lock themselves.
    public var lockWait: Double?
    /// The generic restore flags (the `restore` verb only).
    public var restore: RestoreRequest?
    /// Record rules found through the job's policies (the `prune` verb only).
    public var recordRules: RecordRules?
    /// Where lines and questions go.
    public var output: OperationOutput
    /// Diagnostics.
    public var logger: Logger

    /// Creates a context.
    public init(job: String?, source: String, options: PluginOptions, repository: Repository, state: SourceState,
                dryRun: Bool, json: Bool, yes: Bool = false, lockWait: Double? = nil, restore: RestoreRequest? = nil,
                recordRules: RecordRules? = nil, output: OperationOutput, logger: Logger) {
        self.job = job
        self.source = source
        self.options = options
        self.repository = repository
        self.state = state
        self.dryRun = dryRun
        self.json = json
        self.yes = yes
        self.lockWait = lockWait
        self.restore = restore
        self.recordRules = recordRules
        self.output = output
        self.logger = logger
    }
}

/// Where an operation prints and asks.
public struct OperationOutput: Sendable {
    private let sayLine: @Sendable (String) -> Void
    private let askLine: @Sendable (String) -> String?

    /// Creates an output from a line printer and a question asker (`nil` answer: end of input).
    public init(say: @escaping @Sendable (String) -> Void, ask: @escaping @Sendable (String) -> String?) {
        sayLine = say
        askLine = ask
    }

    /// Prints a result line (suppressed by `--quiet` and `--json`).
    public func say(_ line: String) { sayLine(line) }

    /// Asks a question and returns the answer line, or `nil` at end of input.
    public func ask(_ question: String) -> String? { askLine(question) }

    /// Whether `answer` means yes (`y`, `yes`, `ya`).
    public static func isYes(_ answer: String?) -> Bool {
        guard let answer else { return false }
        return ["y", "yes", "ya"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

/// What an operation ended with.
public struct OperationResult {
    /// The exit status it maps to.
    public var status: ExitStatus
    /// Its `--json` report, printed under the plugin's name; `nil` for none.
    public var report: (any Encodable & Sendable)?
    /// The keys of the records it acted on — in a dry run, would act on — when it works on records
    /// chosen by key: a console's confirmation then names exactly these (`BrowseAction.keysOption`).
    public var items: [String]?

    /// Creates a result.
    public init(status: ExitStatus = .success, report: (any Encodable & Sendable)? = nil, items: [String]? = nil) {
        self.status = status
        self.report = report
        self.items = items
    }
}
