import Foundation
import SinkTestKit

/// Reads an `xlsx` export back under the rules `XLSXSink` documents, from the OOXML parts
/// themselves (Python's zipfile and ElementTree): no spreadsheet library shares the sink's view.
///
/// Strict: a formula, a boolean or error cell, a shared string out of range, a row out of order,
/// a cell beyond the header, or a continuation sheet whose name or header is not the first's makes
/// it fail. Text is decoded as OOXML says (`_xHHHH_` is the character HHHH); a number is a double.
struct XLSXReader: ExportReader {
    var rules: FormatRules {
        FormatRules(labels: .header(.title), nulls: .emptyText, numbers: .spreadsheet, blobs: .base64Text)
    }

    func read(_ url: URL) throws -> ReadTable {
        var rows = try runPythonLines([String].self, PythonReaders.prelude + Self.parts + Self.script, [url.path])
            .map { ReadRow(try $0.map(ReadValue.init(tagged:))) }
        guard !rows.isEmpty else { throw ReadFailure("the workbook has no header row") }
        let titles = try rows.removeFirst().values.map { value -> String in
            guard case .text(let title) = value else { throw ReadFailure("the header holds \(value)") }
            return title
        }
        return ReadTable(header: titles, rows: rows)
    }

    /// The workbook's sheets in order, each as `[name, rows with the header, then each value of
    /// the header's first cell, the first data row's and the last row's first cell]`, tagged.
    static let sheetSummary = PythonReaders.prelude + parts + """
        for name, found in sheets(sys.argv[1]):
            first, count, last, header = None, 0, None, None
            for values in found:
                count += 1
                if count == 1: header = values[0]
                elif count == 2: first = values[0]
                last = values[0]
            emit([name, str(count), tag(header), tag(first), tag(last)])
        """

    /// `sheets(path)`: (name, rows) for each sheet in workbook order, each row a list of values
    /// (str, float, or '' for an empty cell) as wide as the sheet's widest row.
    private static let parts = #"""
        import re, zipfile, xml.etree.ElementTree as ET
        M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
        R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
        ESCAPE = re.compile(r'_x([0-9A-Fa-f]{4})_')
        def text(element):
            return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), ''.join(t.text or '' for t in element.iter(M + 't')))
        def column(ref):
            letters = re.match(r'([A-Z]+)([0-9]+)$', ref)
            if not letters: raise ValueError('bad cell reference %r' % ref)
            n = 0
            for ch in letters.group(1): n = n * 26 + ord(ch) - 64
            return n - 1, int(letters.group(2))
        def sheets(path):
            z = zipfile.ZipFile(path)
            bad = z.testzip()
            if bad: raise ValueError('corrupt member %s' % bad)
            names = set(z.namelist())
            shared = []
            if 'xl/sharedStrings.xml' in names:
                shared = [text(si) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si')]
            targets = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
            for sheet in ET.fromstring(z.read('xl/workbook.xml')).iter(M + 'sheet'):
                target = targets[sheet.get(R + 'id')]
                yield sheet.get('name'), rows(z, target.lstrip('/') if target.startswith('/xl/') else 'xl/' + target, shared)
        def rows(z, part, shared):
            expected = 1
            with z.open(part) as f:
                data = None
                for event, row in ET.iterparse(f, events=('start', 'end')):
                    if event == 'start':
                        if row.tag == M + 'sheetData': data = row
                        continue
                    if row.tag != M + 'row': continue
                    number = int(row.get('r'))
                    if number != expected: raise ValueError('%s: row %d where row %d was due' % (part, number, expected))
                    expected += 1
                    values = {}
                    for c in row.iter(M + 'c'):
                        col, at = column(c.get('r'))
                        if at != number: raise ValueError('cell %s in row %d' % (c.get('r'), number))
                        if c.find(M + 'f') is not None: raise ValueError('a formula in %s' % c.get('r'))
                        kind, v = c.get('t'), c.find(M + 'v')
                        if kind == 'inlineStr': values[col] = text(c.find(M + 'is'))
                        elif kind == 's': values[col] = shared[int(v.text)]
                        elif kind in (None, 'n'): values[col] = '' if v is None else float(v.text)
                        else: raise ValueError('a %r cell in %s' % (kind, c.get('r')))
                    width = max(values) + 1 if values else 0
                    yield [values.get(i, '') for i in range(width)]
                    data.clear()

        """#

    private static let script = #"""
        header = None
        for number, (name, found) in enumerate(sheets(sys.argv[1]), 1):
            if number == 1: first = name
            elif name != '%s (%d)' % (first[:31 - len(' (%d)' % number)], number): raise ValueError('sheet %d is named %r' % (number, name))
            for index, values in enumerate(found):
                if index == 0:
                    if header is None: header = values; emit([tag(v) for v in values])
                    elif values != header: raise ValueError('sheet %r repeats another header: %r' % (name, values))
                    continue
                if len(values) > len(header): raise ValueError('a row wider than the header in %r' % name)
                emit([tag(v) for v in values + [''] * (len(header) - len(values))])
        """#
}
