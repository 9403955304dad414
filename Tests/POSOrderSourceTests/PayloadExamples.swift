import Foundation

/// The contract's examples (`/work/shared/pos/examples/`), read from their copies in
/// `Docs/pos-examples/`, which the end-to-end tests, the demo and the docs use too.
enum PayloadExamples {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/pos-examples")

    /// The file's bytes; an empty array when it is missing, so the tests using it fail, not crash.
    private static func example(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: folder.appendingPathComponent(name)))) ?? []
    }

    static let odoo18Offline = example("odoo18-offline-order.json")
    static let odoo18Online = example("odoo18-online-order.json")
    static let odoo17Export = example("odoo17-export-order.json")
    static let indexedDBExport = example("indexeddb-export.json")
}
