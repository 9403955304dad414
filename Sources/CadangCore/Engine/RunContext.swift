/// What a policy sees of a run that is about to write a set.
public struct RunContext {
    /// The job, repository, time and warnings of the run.
    public var job: JobContext
    /// The id the set will have once committed.
    public var setID: String

    /// Creates a context.
    public init(job: JobContext, setID: String) {
        self.job = job
        self.setID = setID
    }
}
