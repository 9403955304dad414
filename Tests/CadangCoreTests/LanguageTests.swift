import CadangCore
import XCTest

/// `Language.ofLocale`: POSIX's order of the locale variables, Indonesian only for `id…`.
final class LanguageTests: XCTestCase {
    func testTheFirstSetVariableDecides() {
        XCTAssertEqual(Language.ofLocale([:]), .english)
        XCTAssertEqual(Language.ofLocale(["LANG": "id_ID.UTF-8"]), .indonesian)
        XCTAssertEqual(Language.ofLocale(["LANG": "id"]), .indonesian)
        XCTAssertEqual(Language.ofLocale(["LANG": "id.UTF-8"]), .indonesian)
        XCTAssertEqual(Language.ofLocale(["LANG": "id@latin"]), .indonesian)
        XCTAssertEqual(Language.ofLocale(["LC_ALL": "C", "LANG": "id_ID.UTF-8"]), .english)
        XCTAssertEqual(Language.ofLocale(["LC_ALL": "", "LC_MESSAGES": "id_ID", "LANG": "en_US"]), .indonesian)
        XCTAssertEqual(Language.ofLocale(["LC_MESSAGES": "en_US", "LANG": "id_ID"]), .english)
        XCTAssertEqual(Language.ofLocale(["LANG": "ida_XX"]), .english)
        XCTAssertEqual(Language.ofLocale(["LANG": "ID_id"]), .english, "locale names are case-sensitive")
    }

    func testPickChoosesByLanguage() {
        XCTAssertEqual(Language.english.pick("Quit", "Keluar"), "Quit")
        XCTAssertEqual(Language.indonesian.pick("Quit", "Keluar"), "Keluar")
    }
}
