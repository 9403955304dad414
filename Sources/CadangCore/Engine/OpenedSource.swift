/// A source of the run, opened, as policies see it before anything is written.
public final class OpenedSource {
    /// Instance name in the config.
    public let name: String
    /// Plugin name.
    public let plugin: String
    private let snapshot: any SourceSnapshot
    private var computed: String??

    init(name: String, plugin: String, snapshot: any SourceSnapshot) {
        self.name = name
        self.plugin = plugin
        self.snapshot = snapshot
    }

    /// The source's digest of its content (computed once, on first use, then recorded in the
    /// manifest); `nil` when the source cannot tell.
    public func fingerprint() throws -> String? {
        if let computed { return computed }
        let value = try snapshot.fingerprint()
        computed = .some(value)
        return value
    }

    /// The fingerprint if some policy asked for it.
    var recordedFingerprint: String? { computed ?? nil }
}
