import ArgumentParser
import CadangCore

/// A span on the command line, e.g. `30s`, `10m`, `1h30m`.
struct DurationArgument: ExpressibleByArgument {
    /// The span in seconds.
    let seconds: Double

    init?(argument: String) {
        guard let seconds = DurationText.parse(argument) else { return nil }
        self.seconds = seconds
    }

    static var defaultValueDescription: String { "a duration such as 30s or 10m" }
}
