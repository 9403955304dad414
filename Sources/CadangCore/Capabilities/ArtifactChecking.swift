import Foundation

/// A plugin that can check the format of the artifacts it writes (e.g. `quick_check` of a SQLite
/// snapshot). `cadang verify` asks the plugin recorded in the manifest for each artifact (or, for
/// manifests written before that was recorded, a plugin that checks the artifact's format).
///
/// Contract: `problems` reads the file only (never changes it), returns one short phrase per problem
/// (empty when sound), and never throws: a file it cannot read is a problem.
public protocol ArtifactChecking {
    /// The formats it checks (the manifest's `format`, e.g. `sqlite`).
    static var checkedFormats: [String] { get }
    /// The problems of the artifact at `url` of format `format`; empty when sound.
    static func problems(of url: URL, format: String) -> [String]
}
