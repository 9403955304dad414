import Foundation
import XCTest

/// The `xlsx` sink on kasir databases through the shipped binary, its workbooks read back by the
/// programs shop owners' files meet: LibreOffice (converting to CSV) and Python's openpyxl, both
/// compared cell by cell with the CSV sink's export of the same set.
final class XLSXTests: XCTestCase {
    static let config = """
        repository: ./backups
        sources:
          kasir: { plugin: kasir-sqlite, database: instance/kasir.db }
          sample: { plugin: sample, rows: 1000, columns: 8, tables: [transaksi] }
        sinks:
          csv: { plugin: csv }
          xlsx: { plugin: xlsx }
        jobs:
          auto: { sources: [kasir], sinks: [csv, xlsx] }
          sample: { sources: [sample], sinks: [xlsx] }

        """

    func testEveryKasirTableReadsBackWithTheSameValuesAndTypesInLibreOfficeAndOpenpyxl() throws {
        let workspace = try Workspace(config: Self.config)
        let database = workspace.url.appendingPathComponent("instance/kasir.db")
        try KasirTests.makeDatabase(at: database)
        // A product named like a formula: a spreadsheet must show the text, never 2.
        _ = try Independent.python("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"UPDATE produk SET nama = '=1+1' WHERE id = 6\")\nc.commit()", [database.path])
        let run = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets().first)
        var pairs: [String: [String: String]] = [:]
        for artifact in set.artifacts where artifact.format == "csv" || artifact.format == "xlsx" {
            pairs[artifact.dataset, default: [:]][artifact.format] = artifact.path
            if artifact.format == "xlsx" {
                let mode = try FileManager.default.attributesOfItem(atPath: artifact.path)[.posixPermissions] as? Int
                XCTAssertEqual(mode, 0o600, artifact.path)
            }
        }
        XCTAssertGreaterThanOrEqual(pairs.values.filter { $0.count == 2 }.count, 6, "every kasir table as both csv and xlsx: \(pairs)")
        let output = workspace.url.appendingPathComponent("soffice")
        let json = String(decoding: try JSONEncoder().encode(pairs), as: UTF8.self)
        let report = try JSONDecoder().decode(Report.self, from: Data(try Self.debianPython(Self.compare, [json, output.path]).utf8))
        XCTAssertEqual(report.problems, [], report.problems.joined(separator: "\n"))
        for (dataset, paths) in pairs where paths.count == 2 {
            XCTAssertEqual(report.rows[dataset], set.artifacts.first { $0.dataset == dataset && $0.format == "xlsx" }?.rows,
                           "rows of \(dataset)")
        }
        XCTAssertEqual(report.types["produk"]?["Kode"], ["str"], "barcodes stay text, leading zeros and all")
        XCTAssertEqual(report.types["transaksi"]?["Total"], ["number"], "money is a number")
        XCTAssertEqual(report.types["transaksi"]?["Tanggal"], ["str"], "dates stay the text the shop stored")
        XCTAssertEqual(report.formulaName, ["s", "=1+1", "=1+1"], "openpyxl's cell type and value, and LibreOffice's text")
        XCTAssertGreaterThan(report.replacementCells, 0, "the generator's invalid UTF-8 arrives as U+FFFD")
        XCTAssertEqual(report.layout, ["bold": "true", "frozen": "A2", "filtered": "true", "widths": "fitted"])
    }

    func testPeakMemoryStaysFlatWithRowCount() throws {
        let workspace = try Workspace(config: Self.config)
        func peak(rows: Int) throws -> Int {
            try workspace.write("cadang.yaml", Self.config.replacingOccurrences(of: "rows: 1000", with: "rows: \(rows)"))
            let measured = try Self.debianPython("""
                import resource, subprocess, sys
                done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if done.returncode: sys.exit('cadang exited %d' % done.returncode)
                print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
                """, [CLI.harness.binary.path, "--config", workspace.url.appendingPathComponent("cadang.yaml").path, "--quiet", "run", "sample"])
            return try XCTUnwrap(Int(measured.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let small = try peak(rows: 20_000)
        let large = try peak(rows: 400_000)
        // 20x the rows; constant-memory mode keeps one row in memory, so the peak barely moves.
        XCTAssertLessThan(large, small + 8 * 1024, "peak RSS \(small) KiB at 20,000 rows, \(large) KiB at 400,000")
        XCTAssertLessThan(large, 64 * 1024, "peak RSS under 64 MB")
    }

    struct Report: Decodable {
        var problems: [String]
        var rows: [String: Int]
        var types: [String: [String: [String]]]
        var formulaName: [String]
        var replacementCells: Int
        var layout: [String: String]
    }

    /// Runs a snippet on Debian's Python, which has openpyxl (`python3-openpyxl`).
    static func debianPython(_ code: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", code] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python failed: \(String(decoding: message, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }

    /// Compares each table's workbook, as openpyxl and as LibreOffice's CSV, with the CSV sink's
    /// file: text equal exactly, numbers equal as numbers (openpyxl's exactly, LibreOffice's to the
/// 15 digits it shows) and never a text with a leading zero,
    /// empty cells empty. Prints a JSON report.
    static let compare = #"""
        import csv, json, os, re, subprocess, sys
        import openpyxl
        pairs, out = json.loads(sys.argv[1]), sys.argv[2]
        os.makedirs(out, exist_ok=True)
        problems, rows, types, replaced = [], {}, {}, 0
        ESC = re.compile(r'_x([0-9A-Fa-f]{4})_')
        books = sorted(p['xlsx'] for p in pairs.values() if 'xlsx' in p)
        subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + out + '/profile',
                        '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', out] + books,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        def number(text):
            try: return float(text)
            except ValueError: return None
        def close(a, b):
            # LibreOffice's CSV shows a number as the cell does: to 15 significant digits, like Excel.
            return a is not None and b is not None and abs(a - b) <= 1e-14 * max(abs(a), abs(b))
        formula = []
        for dataset, paths in sorted(pairs.items()):
            if len(paths) != 2: continue
            with open(paths['csv'], newline='', encoding='utf-8') as f: expected = list(csv.reader(f))
            book = openpyxl.load_workbook(paths['xlsx'], read_only=True)
            got = []
            for index, sheet in enumerate(book.worksheets):
                cells = [list(r) for r in sheet.iter_rows()]
                got += cells if index == 0 else cells[1:]
            rows[dataset] = len(got) - 1
            if len(got) != len(expected): problems.append('%s: %d rows in the workbook, %d in the csv' % (dataset, len(got), len(expected)))
            titles = expected[0]
            seen = types.setdefault(dataset, {})
            for r, (cells, want) in enumerate(zip(got, expected)):
                values = [c.value for c in cells] + [None] * (len(want) - len(cells))
                kinds = [c.data_type for c in cells]
                if 'f' in kinds: problems.append('%s row %d: a formula cell' % (dataset, r))
                for col, (value, text) in enumerate(zip(values, want)):
                    if isinstance(value, str):
                        value = ESC.sub(lambda m: chr(int(m.group(1), 16)), value)
                        replaced += '\ufffd' in value
                        ok, kind = value == text, 'str'
                    elif value is None:
                        ok, kind = text == '', None
                    elif isinstance(value, (int, float)) and not isinstance(value, bool):
                        ok, kind = number(text) == float(value) and not re.match(r'^[+]|^-?0[0-9]', text), 'number'
                    else:
                        ok, kind = False, type(value).__name__
                    if r > 0 and kind: seen.setdefault(titles[col], set()).add(kind)
                    if not ok: problems.append('%s row %d column %r: openpyxl read %r, the csv has %r' % (dataset, r, titles[col], value, text))
                    if dataset == 'produk' and text == '=1+1': formula[:0] = [cells[col].data_type, value]
            with open(os.path.join(out, os.path.splitext(os.path.basename(paths['xlsx']))[0] + '.csv'), newline='', encoding='utf-8') as f:
                office = list(csv.reader(f))
            if len(office) != len(expected): problems.append('%s: LibreOffice read %d rows, the csv has %d' % (dataset, len(office), len(expected)))
            for r, (line, want) in enumerate(zip(office, expected)):
                line = line + [''] * (len(want) - len(line))
                for col, (value, text) in enumerate(zip(line, want)):
                    same = value == text or (close(number(value), number(text)) and not re.match(r'^-?0[0-9]', text))
                    if not same: problems.append('%s row %d column %r: LibreOffice read %r, the csv has %r' % (dataset, r, titles[col], value, text))
                    if dataset == 'produk' and text == '=1+1': formula.append(value)
        full = openpyxl.load_workbook(pairs['produk']['xlsx'])
        sheet = full.worksheets[0]
        widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(sheet.max_column)]
        layout = {'bold': str(all(c.font.b for c in sheet[1])).lower(), 'frozen': sheet.freeze_panes,
                  'filtered': str(sheet.auto_filter.ref == 'A1:%s%d' % (openpyxl.utils.get_column_letter(sheet.max_column), sheet.max_row)).lower(),
                  'widths': 'fitted' if all(w and 3 < w <= 60 for w in widths) and len(set(widths)) > 1 else repr(widths)}
        print(json.dumps({'problems': problems[:50], 'rows': rows, 'formulaName': formula, 'replacementCells': replaced, 'layout': layout,
                          'types': {d: {t: sorted(k) for t, k in cols.items()} for d, cols in types.items()}}))
        """#
}
