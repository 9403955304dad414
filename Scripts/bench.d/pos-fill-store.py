"""Fills a pos-orders SQLite store (its tables made by cadang) with COUNT orders spread over the
first MONTHS months of YEAR, in the mix of states a shop has after a while: what the stats and
serve benches read. Usage: python3 pos-fill-store.py ORDERS_DB COUNT YEAR MONTHS"""
import random, sqlite3, sys

db = sqlite3.connect(sys.argv[1])
count, year, months = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(3)
states = ["synced"] * 2 + ["verified"] * 14 + ["imported", "duplicate", "error"]


def rows():
    for i in range(count):
        state = rng.choice(states)
        checked = "2026-06-01 00:00:00" if state == "synced" and i % 2 else None
        date = "%d-%02d-%02d %02d:%02d:00" % (year, 1 + i % months, 1 + i % 28, i % 24, i % 60)
        yield (f"k{i}", "uuid", f"k{i}", "%05d-%03d-%04d" % (i % 400, i % 7, i % 10000), i % 400 + 1, i % 7 + 1, date,
               "2026-01-01 00:00:00", state, 1, "0" * 64, checked, 55.5)


with db:
    db.executemany("INSERT INTO orders (key, key_kind, uuid, reference, session_id, config_id, order_date, received_at, state,"
                   " versions, content_sha256, last_checked_at, amount_total, lines, payments)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,2,1)", rows())
db.execute("ANALYZE")
