import Foundation
import POSTestSupport
import XCTest

/// The `postgres` sink through the shipped binary on a kasir database, its tables read back by
/// an independent client (Debian's Python with psycopg2) and compared with the set's other exports.
final class PostgresSinkRunTests: XCTestCase {
    private var database: TestDatabase!

    override func setUpWithError() throws {
        database = try TestPostgres.makeDatabase("pgsink_run")
    }

    override func tearDownWithError() throws {
        try database?.drop()
    }

    private func config(_ conninfo: String) -> String {
        // Block style, the connection string quoted: it has spaces and '='.
        """
        repository: ./backups
        sources:
          kasir: { plugin: kasir-sqlite, database: instance/kasir.db }
        sinks:
          csv: { plugin: csv }
          json: { plugin: json }
          pg:
            plugin: postgres
            postgres: "\(conninfo)"
            source: toko
        jobs:
          auto: { sources: [kasir], sinks: [csv, json, pg] }

        """
    }

    func testEveryKasirTableInPostgresEqualsTheCSVOnSharedColumnsAndTheJSONOnAll() throws {
        let workspace = try Workspace(config: config(database.conninfo))
        try KasirTests.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), products: 200, transactions: 3000)
        let run = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets().first)
        // Both the json sink's file and the postgres sink's receipt are `json` artifacts; the
        // script tells them apart by content (an array of rows, or one receipt object).
        var files: [String: [String: [String]]] = [:]
        for artifact in set.artifacts where artifact.format == "csv" || artifact.format == "json" {
            files[artifact.dataset, default: [:]][artifact.format, default: []].append(artifact.path)
        }
        XCTAssertGreaterThanOrEqual(files.values.filter { $0["csv"]?.count == 1 && $0["json"]?.count == 2 }.count, 6,
                                    "every kasir table as csv, json and a postgres receipt: \(files)")
        let input = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
        let output = try XLSXTests.debianPython(Self.compare, [database.conninfo, set.id, input, Self.titles])
        let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        XCTAssertEqual(report.problems, [], report.problems.joined(separator: "\n"))
        for dataset in files.keys {
            let rows = set.artifacts.first { $0.dataset == dataset && $0.format == "csv" }?.rows
            XCTAssertEqual(report.rows[dataset], rows, "rows of \(dataset) in PostgreSQL")
        }
        XCTAssertEqual(report.rows["transaksi"], 3000)
        XCTAssertEqual(report.ledger, report.rows, "cadang_loads holds one load per table with its row count")
        XCTAssertEqual(report.receipts, report.rows, "each receipt in the set names its table's row count")
        // The CSV comparison must have covered real columns, not only the shared bookkeeping.
        XCTAssertEqual(report.csvColumns["transaksi"], 12, "transaksi columns compared with the CSV")
    }

    struct Report: Decodable {
        var problems: [String]
        var rows: [String: Int]
        var ledger: [String: Int]
        var csvColumns: [String: Int]
        var receipts: [String: Int]
    }

    /// The kasir source's people titles for its programs column names, as in
    /// Plugins/KasirSource/KasirExports.swift; a column with no title there has its name as the CSV
    /// header. `payment_method` is for programs only and compared with the JSON; "Metode Pembayaran"
    /// and "Backup Date" are for people only.
    static let titles = #"""
        {"produk": {"ID": "id", "Kode": "kode", "Nama": "nama", "Deskripsi": "deskripsi", "Harga Beli": "harga_beli",
                    "Harga Jual": "harga_jual", "Stok": "stok", "Kategori": "kategori", "Minimal Stok": "minimal_stok",
                    "Satuan": "satuan"},
         "transaksi": {"ID": "id", "Kode Transaksi": "kode_transaksi", "Tanggal": "tanggal", "Subtotal": "subtotal",
                       "Diskon %": "discount_percent", "Diskon Rp": "discount_amount", "Total": "total", "Bayar": "bayar",
                       "Kembalian": "kembalian", "Kasir": "kasir", "Member": "member", "Poin Earned": "poin_earned"},
         "*": {"Metode Pembayaran": null, "Backup Date": null}}
        """#

    /// For each table: the rows of this set in row_number order, each cell against the JSON's
    /// (typed: numbers as numbers, null as null) and against the CSV's text on the columns both
    /// have (numbers equal as numbers, NULL as the empty field). Prints a JSON report.
    static let compare = #"""
        import csv, json, sys
        import psycopg2
        conninfo, set_id, files, titles = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
        db = psycopg2.connect(conninfo)
        cur = db.cursor()
        problems, rows, ledger, csv_columns, receipts = [], {}, {}, {}, {}
        ADDED = ['source', 'set_id', 'set_time', 'row_number']
        def same(a, b):
            if isinstance(a, bool) or isinstance(b, bool): return a is b
            # A column the source declares without a kind (the generic kasir tables) is text in
            # PostgreSQL, its numbers as the sink documents: integers in decimal, reals in shortest
            # round-trip form, which is Python's repr.
            if isinstance(a, (int, float)) and isinstance(b, str): return b == repr(a)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)): return float(a) == float(b)
            return a == b
        def text_equal(text, value):
            if value is None: return text == ''
            if isinstance(value, (int, float)):
                try: return float(text) == float(value)
                except ValueError: return False
            if isinstance(value, memoryview): value = bytes(value).decode('latin-1')
            return text == value
        for dataset, paths in sorted(files.items()):
            if len(paths.get('csv', [])) != 1 or len(paths.get('json', [])) != 2: continue
            objects = None
            for path in paths['json']:
                with open(path, encoding='utf-8') as f: loaded = json.load(f)
                if isinstance(loaded, list): objects = loaded
                else:
                    receipts[dataset] = loaded['rows']
                    if (loaded['schema'], loaded['source'], loaded['table']) != ('cadang', 'toko', dataset):
                        problems.append('%s: receipt %r' % (dataset, loaded))
            if objects is None: problems.append('%s: no json export' % dataset); continue
            cur.execute('SELECT * FROM cadang.%s WHERE source = %%s AND set_id = %%s ORDER BY row_number'
                        % ('"' + dataset.replace('"', '""') + '"'), ('toko', set_id))
            names = [d[0] for d in cur.description]
            got = cur.fetchall()
            rows[dataset] = len(got)
            if names[:4] != ADDED: problems.append('%s: columns start %s' % (dataset, names[:4]))
            numbers = [r[names.index('row_number')] for r in got]
            if numbers != list(range(1, len(got) + 1)): problems.append('%s: row_number is not 1..%d' % (dataset, len(got)))
            if len(objects) != len(got): problems.append('%s: %d rows in PostgreSQL, %d in the json' % (dataset, len(got), len(objects)))
            data = names[4:]
            for r, (row, obj) in enumerate(zip(got, objects)):
                if list(obj.keys()) != data:
                    problems.append('%s row %d: json keys %s, table columns %s' % (dataset, r, list(obj.keys()), data)); break
                for name, value in zip(data, row[4:]):
                    if isinstance(value, memoryview): value = bytes(value)
                    if not same(obj[name], value):
                        problems.append('%s row %d %s: json %r, postgres %r' % (dataset, r, name, obj[name], value))
            with open(paths['csv'][0], newline='', encoding='utf-8') as f: table = list(csv.reader(f))
            header, body = table[0], table[1:]
            if len(body) != len(got): problems.append('%s: %d rows in PostgreSQL, %d in the csv' % (dataset, len(got), len(body)))
            mapping = dict(titles.get('*', {}))
            mapping.update(titles.get(dataset, {}))
            pairs = []
            for c, title in enumerate(header):
                name = mapping[title] if title in mapping else title
                if name is None: continue
                if name not in data: problems.append('%s: csv column %r has no table column %r' % (dataset, title, name)); continue
                pairs.append((c, names.index(name)))
            csv_columns[dataset] = len(pairs)
            for r, (row, fields) in enumerate(zip(got, body)):
                for c, p in pairs:
                    if not text_equal(fields[c], row[p]):
                        problems.append('%s row %d %s: csv %r, postgres %r' % (dataset, r, header[c], fields[c], row[p]))
            del problems[200:]
        cur.execute('SELECT dataset, rows FROM cadang.cadang_loads WHERE source = %s AND set_id = %s', ('toko', set_id))
        for dataset, count in cur.fetchall():
            if dataset in ledger: problems.append('%s loaded twice in cadang_loads' % dataset)
            ledger[dataset] = count
        print(json.dumps({'problems': problems, 'rows': rows, 'ledger': ledger, 'csvColumns': csv_columns, 'receipts': receipts}))
        """#
}
