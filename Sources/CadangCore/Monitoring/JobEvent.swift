import Foundation

/// A job starting or ending: what hooks receive as `CADANG_*` variables and monitors report.
public struct JobEvent: Sendable {
    /// Where in the job's life the event is.
    public enum Moment: String, Sendable {
        case started, finished
    }

    /// Started or finished.
    public var moment: Moment
    /// The job's name.
    public var job: String
    /// The machine's host name, so one monitor can tell several shops apart.
    public var host: String
    /// When the job started.
    public var startedAt: Date
    /// How it ended; nil while it runs.
    public var state: RunState?
    /// The exit code the run ends with; nil while it runs.
    public var exitCode: Int32?
    /// The set written, if one was.
    public var setID: String?
    /// One line saying what went wrong, when something did.
    public var error: String?
    /// When it finished.
    public var finishedAt: Date?

    /// Creates an event.
    public init(moment: Moment, job: String, host: String, startedAt: Date, state: RunState? = nil,
                exitCode: Int32? = nil, setID: String? = nil, error: String? = nil, finishedAt: Date? = nil) {
        self.moment = moment
        self.job = job
        self.host = host
        self.startedAt = startedAt
        self.state = state
        self.exitCode = exitCode
        self.setID = setID
        self.error = error
        self.finishedAt = finishedAt
    }
}
