/// An independent check of a kasir set, in Python: it re-derives every export from the set's
/// snapshot with its own code (Python's sqlite3 and plain loops, not cadang's SQL) and compares
/// them value by value with what Python's `csv` and `json` modules read from the set's files.
enum KasirOracle {
    static let script = #"""
import csv, json, sqlite3, struct, sys

set_dir, backup_date, excel = sys.argv[1], sys.argv[2], sys.argv[3] == 'excel'
con = sqlite3.connect('file:%s/kasir.db?mode=ro' % set_dir, uri=True)
con.text_factory = bytes
problems = []

def text(v):
    return v.decode('utf-8', 'replace') if isinstance(v, bytes) else v

def columns(table):
    return [r[1].decode() for r in con.execute('PRAGMA table_info("%s")' % table.replace('"', '""'))]

def rows_of(table, order='rowid'):
    names = columns(table)
    return [dict(zip(names, r)) for r in con.execute('SELECT * FROM "%s" ORDER BY %s' % (table, order))]

def excel_text(s):
    if not excel:
        return s
    if len(s) >= 2 and s.isascii() and s.isdigit() and (s[0] == '0' or len(s) > 11):
        return '="%s"' % s
    if len(s) > 1 and s[0] in '=+-@\t\r':
        return "'" + s
    return s

def same_float(a, b):
    return struct.pack('>d', a) == struct.pack('>d', b)

def check_csv_field(where, field, value):
    value = text(value)
    if value is None:
        ok = field == ''
    elif isinstance(value, float):
        try:
            ok = same_float(float(field), value)
        except ValueError:
            ok = False
    elif isinstance(value, int):
        ok = field == str(value)
    else:
        ok = field == excel_text(value)
    if not ok:
        problems.append('%s: CSV has %r, expected %r' % (where, field, value))

def check_json_value(where, got, value):
    value = text(value)
    if isinstance(value, float):
        ok = isinstance(got, float) and same_float(got, value)
    elif isinstance(value, int):
        ok = isinstance(got, int) and not isinstance(got, bool) and got == value
    else:
        ok = got == value
    if not ok:
        problems.append('%s: JSON has %r, expected %r' % (where, got, value))

def compare(name, headers, keys, expected_csv, expected_json):
    with open('%s/%s.csv' % (set_dir, name), newline='', encoding='utf-8-sig' if excel else 'utf-8', errors='strict') as f:
        records = list(csv.reader(f, strict=True))
    if records[0] != headers:
        problems.append('%s.csv header %r, expected %r' % (name, records[0], headers))
    if len(records) - 1 != len(expected_csv):
        problems.append('%s.csv has %d rows, expected %d' % (name, len(records) - 1, len(expected_csv)))
    for i, (record, row) in enumerate(zip(records[1:], expected_csv)):
        if len(record) != len(row):
            problems.append('%s.csv row %d has %d fields' % (name, i, len(record)))
            continue
        for h, field, value in zip(headers, record, row):
            check_csv_field('%s.csv row %d %s' % (name, i, h), field, value)
    with open('%s/%s.json' % (set_dir, name), encoding='utf-8', errors='strict') as f:
        objects = json.load(f, object_pairs_hook=lambda pairs: pairs)
    if len(objects) != len(expected_json):
        problems.append('%s.json has %d objects, expected %d' % (name, len(objects), len(expected_json)))
    for i, (pairs, row) in enumerate(zip(objects, expected_json)):
        if [k for k, _ in pairs] != keys:
            problems.append('%s.json object %d keys %r' % (name, i, [k for k, _ in pairs]))
            continue
        for (k, got), value in zip(pairs, row):
            check_json_value('%s.json object %d %s' % (name, i, k), got, value)
    return len(records) - 1

tables = [r[0].decode() for r in con.execute("SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
integrity = con.execute('PRAGMA integrity_check').fetchall()
if integrity != [(b'ok',)]:
    problems.append('snapshot integrity_check: %r' % integrity)

counts = {}
kategori = {r['id']: r['nama'] for r in rows_of('kategori')}
produk = rows_of('produk', 'id')
p_rows = []
for p in produk:
    kat = kategori.get(p.get('kategori_id'), '-') if p.get('kategori_id') is not None else '-'
    p_rows.append([p['id'], p['kode'], p['nama'], p['deskripsi'], p['harga_beli'], p['harga_jual'], p.get('stok'), kat,
                   p.get('minimal_stok'), p.get('satuan')])
counts['produk'] = compare('produk',
    ['ID', 'Kode', 'Nama', 'Deskripsi', 'Harga Beli', 'Harga Jual', 'Stok', 'Kategori', 'Minimal Stok', 'Satuan', 'Backup Date'],
    ['id', 'kode', 'nama', 'deskripsi', 'harga_beli', 'harga_jual', 'stok', 'kategori', 'minimal_stok', 'satuan'],
    [r + [backup_date] for r in p_rows], p_rows)

users = {u['id']: u['nama'] for u in rows_of('user')}
members = {m['id']: m['nama'] for m in rows_of('member')}
transaksi = rows_of('transaksi')
transaksi.sort(key=lambda t: (t['tanggal'] is not None, t['tanggal'] or b'', t['id']), reverse=True)
t_csv, t_json = [], []
for t in transaksi:
    method = t['payment_method']
    kasir = users[t['user_id']] if t['user_id'] in users else '-'
    if t['member_id'] in members:
        member = members[t['member_id']]
    elif t['member_manual'] not in (None, b''):
        member = t['member_manual']
    else:
        member = '-'
    poin = t['points_earned'] if t['points_earned'] is not None else 0
    head = [t['id'], t['kode_transaksi'], t['tanggal'], t['subtotal'], t['discount_percent'], t['discount_amount'], t['total'], t['bayar'], t['kembalian']]
    t_csv.append(head + [method.upper() if isinstance(method, bytes) else method, kasir, member, poin, backup_date])
    t_json.append(head + [method, kasir, member, poin])
counts['transaksi'] = compare('transaksi',
    ['ID', 'Kode Transaksi', 'Tanggal', 'Subtotal', 'Diskon %', 'Diskon Rp', 'Total', 'Bayar', 'Kembalian', 'Metode Pembayaran', 'Kasir', 'Member', 'Poin Earned', 'Backup Date'],
    ['id', 'kode_transaksi', 'tanggal', 'subtotal', 'discount_percent', 'discount_amount', 'total', 'bayar', 'kembalian', 'payment_method', 'kasir', 'member', 'poin_earned'],
    t_csv, t_json)

codes = {t['id']: t['kode_transaksi'] for t in transaksi}
by_id = {p['id']: p for p in produk}
i_rows = []
for i in rows_of('transaksi_item', 'id'):
    p = by_id.get(i['produk_id'])
    i_rows.append([i['id'], i['transaksi_id'], codes.get(i['transaksi_id']), i['produk_id'],
                   p['kode'] if p else None, p['nama'] if p else None, i['jumlah'], i['harga'], i['subtotal']])
item_keys = ['id', 'transaksi_id', 'kode_transaksi', 'produk_id', 'kode', 'nama', 'jumlah', 'harga', 'subtotal']
counts['transaksi_item'] = compare('transaksi_item', item_keys + ['Backup Date'], item_keys, [r + [backup_date] for r in i_rows], i_rows)

for table in tables:
    if table in ('produk', 'transaksi', 'transaksi_item'):
        continue
    names = [c for c in columns(table) if not (table == 'user' and c == 'password_hash')]
    rows = [[r[c] for c in names] for r in rows_of(table)]
    counts[table] = compare(table, names, names, rows, rows)
    if table == 'user':
        raw = open('%s/user.csv' % set_dir, 'rb').read() + open('%s/user.json' % set_dir, 'rb').read()
        if b'password_hash' in raw or b'pbkdf2' in raw:
            problems.append('user export contains password hashes')

for table, n in counts.items():
    real = con.execute('SELECT COUNT(*) FROM "%s"' % table).fetchone()[0]
    if n != real:
        problems.append('%s: %d CSV rows, snapshot has %d' % (table, n, real))

json.dump({'problems': problems[:20], 'problemCount': len(problems), 'counts': counts, 'tables': tables}, sys.stdout)
"""#
}
