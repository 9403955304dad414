#!/usr/bin/env python3
"""The obvious tool for the POS ingest benchmark: a minimal Python ingest of a JSON Lines file of
Odoo 18 orders into SQLite — json + sqlite3, one transaction, the same structured columns as
cadang's orders/order_lines/payments, the payload and the SHA-256 of its canonical JSON (keys
sorted, the capture keys left out). No versions, no events, no rejection reasons: less work than
cadang does. Usage: pos-ingest-reference.py ORDERS.jsonl STORE.db"""
import hashlib, json, sqlite3, sys

CAPTURE = {"backup_date", "synced", "sync_date", "receipt_html"}

def num(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

def text(value):
    return value if isinstance(value, str) else None

def many2one(value):
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, int) and not isinstance(value, bool) else None

db = sqlite3.connect(sys.argv[2])
db.executescript("""
CREATE TABLE orders (key TEXT PRIMARY KEY, uuid TEXT, access_token TEXT, pos_reference TEXT, name TEXT,
  session_id INTEGER, config_id INTEGER, company_id INTEGER, user_id INTEGER, partner_id INTEGER, order_date TEXT,
  amount_total REAL, amount_tax REAL, amount_paid REAL, amount_return REAL, lines INTEGER, payments INTEGER,
  content_sha256 TEXT, payload TEXT);
CREATE TABLE order_lines (key TEXT, line_no INTEGER, product_id INTEGER, full_product_name TEXT, qty REAL,
  price_unit REAL, discount REAL, price_subtotal REAL, price_subtotal_incl REAL);
CREATE TABLE payments (key TEXT, payment_no INTEGER, payment_method_id INTEGER, amount REAL, payment_date TEXT, is_change INTEGER);
""")
with open(sys.argv[1], encoding="utf-8") as source, db:
    for line in source:
        if not line.strip():
            continue
        order = json.loads(line)
        canonical = json.dumps({k: v for k, v in order.items() if k not in CAPTURE}, sort_keys=True,
                               separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        key = order.get("uuid") or order.get("access_token") or order.get("pos_reference")
        lines = [c[2] for c in order.get("lines") or [] if isinstance(c, list) and len(c) == 3]
        pays = [c[2] for c in order.get("payment_ids") or [] if isinstance(c, list) and len(c) == 3]
        db.execute("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (key, text(order.get("uuid")), text(order.get("access_token")), text(order.get("pos_reference")),
                    text(order.get("name")), many2one(order.get("session_id")), many2one(order.get("config_id")),
                    many2one(order.get("company_id")), many2one(order.get("user_id")), many2one(order.get("partner_id")),
                    text(order.get("date_order")), num(order.get("amount_total")), num(order.get("amount_tax")),
                    num(order.get("amount_paid")), num(order.get("amount_return")), len(lines), len(pays), digest,
                    line.rstrip("\n")))
        db.executemany("INSERT INTO order_lines VALUES (?,?,?,?,?,?,?,?,?)",
                       [(key, n + 1, many2one(l.get("product_id")), text(l.get("full_product_name")), num(l.get("qty")),
                         num(l.get("price_unit")), num(l.get("discount")), num(l.get("price_subtotal")),
                         num(l.get("price_subtotal_incl"))) for n, l in enumerate(lines)])
        db.executemany("INSERT INTO payments VALUES (?,?,?,?,?,?)",
                       [(key, n + 1, many2one(p.get("payment_method_id")), num(p.get("amount")), text(p.get("payment_date")),
                         1 if p.get("is_change") else 0) for n, p in enumerate(pays)])
