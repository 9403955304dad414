# POS benchmark (issue 11), sourced by Scripts/bench (which defines measure, mib, ratio, $work,
# $cadang_plain, $root, $failed and the WALL/CPU/RSS tables).
#
#   ingest     100,000 Odoo-18 offline-shaped orders (JSON Lines, Scripts/pos-sample-payloads) into
#              the SQLite store by `cadang run pos` of a job exporting only the `events` dataset,
#              beside Scripts/bench.d/pos-ingest-reference.py (json + sqlite3, one transaction, the
#              same structured columns, payload and SHA-256) on the same file. Acceptance: <= 0.5x.
#   re-run     the same `cadang run pos` again with nothing new. Acceptance: <= 0.05x the first.
#   big file   one JSON array file of ~500 MB ingested by `cadang run pos`. Acceptance: peak RSS
#              < 100 MB.
#   stats      `cadang stats pos --json` over 1,000,000 stored orders (written by Python into the
#              store's tables). Acceptance: < 1 s.
#   verify     `cadang verify pos` of 100,000 stored orders (half known to Odoo) with odoo.postgres
#              against a throwaway PostgreSQL holding odoo18.sql and 1,000,000 pos_order rows (the
#              stand-in's seed). Acceptance: <= 10 s.
#   import     `cadang restore pos --yes` of 1,000 missing offline orders into the stand-in Odoo
#              (issue 12). Acceptance: <= 2 JSON-RPC calls per order (the login included), and
#              cadang's wall time <= 1.5x the stand-in's own time doing those calls (what it reports
#              in /__standin/calls): cadang adds little around Odoo.
KREPEAT=${KREPEAT:-${BENCH_REPEAT:-1}}
POS_ORDERS=${BENCH_POS_ORDERS:-100000}
POS_BIG=${BENCH_POS_BIG_ORDERS:-200000}
POS_STATS=${BENCH_POS_STATS_ORDERS:-1000000}
POS_ODOO_ROWS=${BENCH_POS_ODOO_ROWS:-1000000}
POS_IMPORT=${BENCH_POS_IMPORT_ORDERS:-1000}
[[ $POS_ORDERS =~ ^[1-9][0-9]*$ ]] || die "BENCH_POS_ORDERS must be a positive integer (got '$POS_ORDERS')"

pdir="$work/pos"
mkdir -p "$pdir/inbox" "$pdir/big"
"$root/Scripts/pos-sample-payloads" --orders "$POS_ORDERS" --shape jsonl --out "$pdir/inbox/orders.jsonl" >/dev/null
"$root/Scripts/pos-sample-payloads" --orders "$POS_BIG" --shape array --seed 7 --out "$pdir/big/orders.json" >/dev/null
pos_file_mb=$(( $(stat -c %s "$pdir/inbox/orders.jsonl") / 1048576 ))
big_mb=$(( $(stat -c %s "$pdir/big/orders.json") / 1048576 ))
cat >"$pdir/pos.yaml" <<YAML
repository: $pdir/repo
sources:
  pos: { plugin: pos-orders, inbox: [$pdir/inbox], timezone: Asia/Jakarta }
  big: { plugin: pos-orders, inbox: [$pdir/big], timezone: Asia/Jakarta }
sinks:
  json: { plugin: json }
jobs:
  pos: { sources: [pos.events], sinks: [json] }
  big: { sources: [big.events], sinks: [json] }
YAML

echo
echo "==> POS: $POS_ORDERS orders ($pos_file_mb MiB of JSON Lines) into the SQLite store; a $big_mb MiB JSON array"
for ((i = 1; i <= KREPEAT; i++)); do
    ((KREPEAT > 1)) && echo "  run $i of $KREPEAT"
    rm -rf "$pdir/repo" "$pdir/reference.db"
    measure "pos ingest" "$work/pingest" -- "$cadang_plain" run pos --config "$pdir/pos.yaml"
    grep -q "pos: $POS_ORDERS read — $POS_ORDERS stored" "$work/pingest.out" || die "the ingest did not store every order: $(cat "$work/pingest.out" "$work/pingest.err")"
    measure "pos re-run" "$work/prerun" -- "$cadang_plain" run pos --config "$pdir/pos.yaml"
    grep -q "pos: 0 read" "$work/prerun.out" || die "the re-run read something again: $(cat "$work/prerun.out")"
    measure "python ingest" "$work/pref" -- python3 "$root/Scripts/bench.d/pos-ingest-reference.py" "$pdir/inbox/orders.jsonl" "$pdir/reference.db"
    measure "pos big file" "$work/pbig" -- "$cadang_plain" run big --config "$pdir/pos.yaml"
done

# --- stats over 1,000,000 stored orders, and verify of 100,000 against 1,000,000 pos_order rows ---
# The stats store: cadang creates the tables (an empty run), Python fills them (a year of orders).
mkdir -p "$pdir/empty" "$pdir/verify"
cat >"$pdir/stats.yaml" <<YAML
repository: $pdir/srepo
sources:
  pos: { plugin: pos-orders, inbox: [$pdir/empty], timezone: Asia/Jakarta }
sinks:
  json: { plugin: json }
jobs:
  pos: { sources: [pos.events], sinks: [json] }
YAML
"$cadang_plain" run pos --config "$pdir/stats.yaml" >/dev/null
python3 "$root/Scripts/bench.d/pos-fill-store.py" "$pdir/srepo/state/pos/orders.db" "$POS_STATS" 2025 12

# The Odoo side: a throwaway PostgreSQL with odoo18.sql and 1,000,000 pos_order rows; half of the
# 100,000 stored orders carry uuids Odoo holds.
# Its own folder: the server runs as the postgres user, who cannot enter $work.
pgdir=$(mktemp -d -t cadang-bench-pg.XXXXXX)
pg=$("$root/Scripts/test-postgres" start "$pgdir")
trap '"$root/Scripts/test-postgres" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$work" "$pgdir"' EXIT
/usr/bin/python3 - "$pg" "$root/Tests/OdooStandIn" "$POS_ODOO_ROWS" "$pdir/verify/orders.jsonl" <<'PY'
import hashlib, json, subprocess, sys, uuid
import psycopg2, psycopg2.extensions
conninfo, folder, rows, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, folder)
from standin_seed import seed_orders
admin = psycopg2.connect(conninfo); admin.autocommit = True
admin.cursor().execute('CREATE DATABASE bench_odoo'); admin.close()
target = psycopg2.extensions.make_dsn(conninfo, dbname="bench_odoo")
subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", folder + "/odoo18.sql"], check=True)
db = psycopg2.connect(target)
with db, db.cursor() as cursor:
    seed_orders(cursor, rows)
with open(out, "w") as f:
    for i in range(1, 100001):
        known = i % 2 == 0 and i <= rows
        key = str(uuid.UUID(hashlib.md5(f"uuid-{i}".encode()).hexdigest())) if known else str(uuid.uuid4())
        f.write(json.dumps({"uuid": key, "name": "Order 09999-%03d-%04d" % (i // 10000, i % 10000), "lines": []}) + "\n")
PY
odoo_pg=$(/usr/bin/python3 -c 'import sys, psycopg2.extensions; print(psycopg2.extensions.make_dsn(sys.argv[1], dbname="bench_odoo"))' "$pg")
cat >"$pdir/verify.yaml" <<YAML
repository: $pdir/vrepo
sources:
  pos:
    plugin: pos-orders
    inbox: [$pdir/verify]
    odoo: { url: "http://127.0.0.1:9", database: bench_odoo, user: bench, api_key: unused, postgres: "$odoo_pg" }
sinks:
  json: { plugin: json }
jobs:
  pos: { sources: [pos.events], sinks: [json] }
YAML
# The run ingests and verifies its new orders too; it is the second, the verify command, that is timed.
"$cadang_plain" run pos --config "$pdir/verify.yaml" >/dev/null 2>&1 || true
python3 - "$pdir/vrepo/state/pos/orders.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with db:
    db.execute("UPDATE orders SET state = 'synced', matched_order_id = NULL, verified_at = NULL, last_checked_at = NULL")
PY
for ((i = 1; i <= KREPEAT; i++)); do
    measure "pos stats" "$work/pstats" -- "$cadang_plain" stats pos --json --config "$pdir/stats.yaml"
    measure "pos verify" "$work/pverify" -- "$cadang_plain" verify pos --json --config "$pdir/verify.yaml"
    grep -q '"checked" : 100000' "$work/pverify.out" || die "verify did not check 100,000 orders: $(head -c 600 "$work/pverify.out") $(cat "$work/pverify.err")"
    grep -q "\"verified\" : $((POS_ODOO_ROWS < 100000 ? POS_ODOO_ROWS / 2 : 50000))" "$work/pverify.out" || die "verify found the wrong number: $(head -c 600 "$work/pverify.out")"
    python3 - "$pdir/vrepo/state/pos/orders.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with db:
    db.execute("UPDATE orders SET state = 'synced', matched_order_id = NULL, verified_at = NULL, last_checked_at = NULL")
PY
done

# --- import of 1,000 missing orders into the stand-in Odoo (its own database on the same server) ---
# Each repetition: a fresh stand-in, a fresh store whose orders the run found missing, then the
# timed `cadang restore pos --yes`; the stand-in reports the calls and its own time doing them.
mkdir -p "$pdir/import"
/usr/bin/python3 - "$root/Docs/pos-examples/odoo18-offline-order.json" "$POS_IMPORT" "$pdir/import/orders.json" <<'PY'
import sys
template, count, out = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    f.write("[" + ",\n".join(template.replace("a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", "00000000-0000-4000-8000-%012d" % i)
                             .replace("5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33", "10000000-0000-4000-8000-%012d" % i)
                             .replace("00042-003-0017", "00042-%03d-%04d" % (i // 10000, i % 10000)) for i in range(1, count + 1)) + "]")
PY
IMPORT_SHARE=
export ODOO_API_KEY=bench-key
for ((i = 1; i <= KREPEAT; i++)); do
    rm -rf "$pdir/irepo"
    /usr/bin/python3 "$root/Tests/OdooStandIn/odoo_standin.py" --conninfo "$pg" --create-db bench_import --replace-db \
        --schema "$root/Tests/OdooStandIn/odoo18.sql" --port 0 --user "bench@toko.id:bench-key:2:pos" >"$work/standin.out" 2>"$work/standin.err" &
    standin=$!
    for _ in $(seq 1 600); do grep -q '^listening on ' "$work/standin.out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/^listening on //p' "$work/standin.out")
    [[ -n $port ]] || die "the stand-in Odoo did not start: $(cat "$work/standin.err")"
    cat >"$pdir/import.yaml" <<YAML
repository: $pdir/irepo
sources:
  pos:
    plugin: pos-orders
    inbox: [$pdir/import]
    timezone: Asia/Jakarta
    odoo: { url: "http://127.0.0.1:$port", database: bench_import, user: bench@toko.id, api_key: "\${ODOO_API_KEY}" }
sinks:
  json: { plugin: json }
jobs:
  pos: { sources: [pos.events], sinks: [json] }
YAML
    "$cadang_plain" run pos --config "$pdir/import.yaml" >"$work/irun.out" 2>&1 \
        || die "the import bench's run failed: $(cat "$work/irun.out")"
    grep -q "$POS_IMPORT missing on the server" "$work/irun.out" || die "the run did not find $POS_IMPORT missing orders: $(cat "$work/irun.out")"
    curl -s -X POST -d '{"reset_calls": true}' "http://127.0.0.1:$port/__standin/control" >/dev/null
    measure "pos import" "$work/pimport" -- "$cadang_plain" restore pos --yes --config "$pdir/import.yaml"
    grep -q "pos: $POS_IMPORT imported, 0 duplicate, 0 error" "$work/pimport.out" \
        || die "the import did not import every order: $(tail -3 "$work/pimport.out") $(cat "$work/pimport.err")"
    read -r calls standin_s < <(curl -s "http://127.0.0.1:$port/__standin/calls" | python3 -c '
import json, sys
answer = json.load(sys.stdin)
print(answer["total"], "%.2f" % sum(answer["seconds_by_method"].values()))')
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s }' "$work/time.txt")
    share=$(awk -v a="$wall" -v b="$standin_s" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
    echo "    stand-in                 $calls calls, $standin_s s of its own time: cadang's wall time is ${share}x that"
    if [[ -z $IMPORT_SHARE ]] || awk -v a="$share" -v b="$IMPORT_SHARE" 'BEGIN {exit !(a < b)}'; then
        IMPORT_SHARE=$share IMPORT_CALLS=$calls IMPORT_STANDIN=$standin_s
    fi
    kill "$standin" 2>/dev/null || true
    wait "$standin" 2>/dev/null || true
done

"$root/Scripts/test-postgres" stop "$pgdir" >/dev/null 2>&1 || true
rm -rf "$pgdir"
trap 'rm -rf "$work"' EXIT
rm -rf "$pdir"

ingest_ratio=$(ratio "${WALL[pos ingest]}" "${WALL[python ingest]}")
rerun_ratio=$(ratio "${WALL[pos re-run]}" "${WALL[pos ingest]}")
echo
echo "Summary (POS): best wall time of $KREPEAT"
printf '  %-26s %9s %9s %12s\n' case "wall (s)" "cpu (s)" "peak RSS MiB"
for name in "pos ingest" "python ingest" "pos re-run" "pos big file" "pos stats" "pos verify" "pos import"; do
    printf '  %-26s %9s %9s %12s\n' "$name" "${WALL[$name]}" "${CPU[$name]}" "$(mib "${RSS[$name]}")"
done
echo
echo "Acceptance"
# verdict A B: PASS when A <= B (sets $failed otherwise; not in a subshell, so the flag sticks).
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a + 0 <= b + 0)}'; then v=PASS; else failed=1; v=FAIL; fi; }
verdict "${ingest_ratio%x}" 0.5
printf '  %-52s %8s  <= 0.50x   %s\n' "ingest vs the Python reference" "$ingest_ratio" "$v"
verdict "${rerun_ratio%x}" 0.05
printf '  %-52s %8s  <= 0.05x   %s\n' "re-run with nothing new vs the first run" "$rerun_ratio" "$v"
big_rss=$(mib "${RSS[pos big file]}")
verdict "$big_rss" 99.99
printf '  %-52s %6s MiB  < 100 MiB  %s\n' "peak RSS ingesting one $big_mb MiB array" "$big_rss" "$v"
verdict "${WALL[pos stats]}" 0.9999
printf '  %-52s %8s s  < 1 s      %s\n' "stats over $POS_STATS stored orders" "${WALL[pos stats]}" "$v"
verdict "${WALL[pos verify]}" 10
printf '  %-52s %8s s  <= 10 s    %s\n' "verify of 100000 orders against $POS_ODOO_ROWS pos_order rows" "${WALL[pos verify]}" "$v"
per_order=$(awk -v c="$IMPORT_CALLS" -v n="$POS_IMPORT" 'BEGIN { printf "%.2f", c / n }')
verdict "$per_order" 2
printf '  %-52s %8s  <= 2       %s\n' "JSON-RPC calls per imported order ($POS_IMPORT orders)" "$per_order" "$v"
verdict "$IMPORT_SHARE" 1.5
printf '  %-52s %7sx  <= 1.50x   %s\n' "import wall time vs the stand-in's own ($IMPORT_STANDIN s)" "$IMPORT_SHARE" "$v"
