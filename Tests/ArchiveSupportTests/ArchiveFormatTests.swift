import ArchiveSupport
import CadangCore
import XCTest

/// The archive names the targz sink writes and the names the core lets copying sinks handle
/// (`ArchiveName`, which cannot see this module) must be the same list.
final class ArchiveFormatTests: XCTestCase {
    func testTheFormatsEndingsAreTheCoresArchiveNames() {
        XCTAssertEqual(Set(ArchiveFormat.all.map(\.fileExtension)), Set(ArchiveName.endings))
    }

    func testAFileNameGivesItsLongestEnding() {
        XCTAssertEqual(ArchiveFormat(fileName: "auto-1.tar.zst.age"), ArchiveFormat(compression: .zstd, encrypted: true))
        XCTAssertEqual(ArchiveFormat(fileName: "auto-1.tar.gz"), ArchiveFormat(compression: .gzip, encrypted: false))
        XCTAssertEqual(ArchiveFormat(fileName: "auto-1.tar.age"), ArchiveFormat(compression: .none, encrypted: true))
        XCTAssertNil(ArchiveFormat(fileName: "auto-1.tar.gz.sha256"))
        XCTAssertNil(ArchiveFormat(fileName: "auto-1.zip"))
    }
}
