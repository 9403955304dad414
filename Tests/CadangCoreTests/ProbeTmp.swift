import CadangCore
import Foundation
import XCTest

final class ProbeTmp: TemporaryFolderTestCase {
    func testProbe() throws {
        let repo = makeRepository()
        let staged = try repo.beginSet(job: "j", time: Date())
        let w = try staged.createArtifact(path: "a.txt", dataset: "d", format: "txt")
        for v in [Int64(9_999_999_999_999_999), 10_000_000_000_000_000, Int64.max, Int64.min] { w.write(decimal: v); w.write(UInt8(10)) }
        try staged.close(w, rows: nil)
        print(String(decoding: try contents(staged.directory.appendingPathComponent("a.txt")), as: UTF8.self))
        print(CommandLine.arguments)
    }
}
