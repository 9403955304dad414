import PostgresSupport
import XCTest

/// What messages show of a connection string: everything but the secrets.
final class ConnectionStringTests: XCTestCase {
    func testKeyValuePasswordsGoQuotedOrNot() {
        let cases = [
            ("host=db password=secret dbname=pos", "host=db dbname=pos"),
            ("password=secret host=db", "host=db"),
            ("host=db password = 'se cr\\'et \\\\ x' user=u", "host=db user=u"),
            ("host=db sslpassword=keypass password='' user=u", "host=db user=u"),
            ("host=db user='o\\'k' dbname=pos", "host=db user='o\\'k' dbname=pos"),
            // libpq has no '' escape: the second quote starts a token with no '=', which hides it.
            ("host=db password='o''k' dbname=pos", "host=db dbname=pos"),
            ("host=/run/postgresql dbname=odoo", "host=/run/postgresql dbname=odoo"),
            ("", ""),
        ]
        for (input, shown) in cases { XCTAssertEqual(PostgresConnectionString.redacted(input), shown, input) }
    }

    func testURIPasswordsGo() {
        let cases = [
            ("postgresql://odoo:secret@db.local:5432/odoo", "postgresql://odoo@db.local:5432/odoo"),
            ("postgres://odoo:p%40ss@db/odoo?sslmode=require&password=two&connect_timeout=5",
             "postgres://odoo@db/odoo?sslmode=require&connect_timeout=5"),
            ("postgresql://odoo:pa/ss@word@db/odoo", "postgresql://odoo@db/odoo"),
            ("postgresql://odoo@db/odoo?password=x", "postgresql://odoo@db/odoo"),
            ("postgresql://db:5432/odoo", "postgresql://db:5432/odoo"),
            ("postgresql:///odoo?host=%2Frun%2Fpostgresql", "postgresql:///odoo?host=%2Frun%2Fpostgresql"),
        ]
        for (input, shown) in cases { XCTAssertEqual(PostgresConnectionString.redacted(input), shown, input) }
    }

    func testParseAndFormatRoundTrip() throws {
        let settings = try PostgresConnectionString.parse("postgresql://odoo@db:5433/pos?sslmode=require")
        let map = Dictionary(settings, uniquingKeysWith: { $1 })
        XCTAssertEqual(map["user"], "odoo")
        XCTAssertEqual(map["host"], "db")
        XCTAssertEqual(map["port"], "5433")
        XCTAssertEqual(map["dbname"], "pos")
        let formatted = PostgresConnectionString.format([("dbname", "it's a \\ test"), ("host", "/tmp/x y")])
        XCTAssertEqual(formatted, "dbname='it\\'s a \\\\ test' host='/tmp/x y'")
        let back = Dictionary(try PostgresConnectionString.parse(formatted), uniquingKeysWith: { $1 })
        XCTAssertEqual(back["dbname"], "it's a \\ test")
        XCTAssertEqual(back["host"], "/tmp/x y")
    }

    func testAMalformedStringFailsToParseWithoutItsPassword() {
        XCTAssertThrowsError(try PostgresConnectionString.parse("host=db password='unterminated-secret")) { error in
            XCTAssertFalse(String(describing: error).contains("unterminated-secret"), String(describing: error))
        }
    }
}
