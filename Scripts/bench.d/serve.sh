# cadang serve benchmark (issue 13), sourced by Scripts/bench (which defines measure, mib, ratio,
# $work, $cadang_plain, $root and $failed).
#
#   API ingest   20 clients (Tests/ServeLoad/load_client.py) post 50,000 distinct Odoo-18 orders in
#                batches of 100 over loopback into a fresh SQLite store; orders per second, beside
#                the same 50,000 orders ingested from one JSON Lines file by `cadang run`, as a
#                ratio. Acceptance: >= 2,000 orders/s.
#   orders page  1,000,000 stored orders (written by Python into the store's tables, as the stats
#                bench does); the API's page and the console's HTML page with no filter and with
#                each filter alone, best of 3 by curl's time_total. Acceptance: every one < 300 ms.
#   peak RSS     of the serve process over both (VmHWM). Acceptance: < 150 MB.
SERVE_ORDERS=${BENCH_SERVE_ORDERS:-50000}
SERVE_STORED=${BENCH_SERVE_STORED:-1000000}
sdir="$work/serve"
mkdir -p "$sdir/inbox"
export CADANG_INGEST_TOKEN=bench-ingest-token-0123456789 CADANG_MANAGER_TOKEN=bench-manager-token-0123456789
template="$root/Docs/pos-examples/odoo18-offline-order.json"

# start_serve CONFIG: starts cadang serve on a free port; sets $serve_pid and $serve_url.
start_serve() {
    "$cadang_plain" serve --config "$1" --listen 127.0.0.1:0 >"$sdir/serve.out" 2>"$sdir/serve.err" &
    serve_pid=$!
    for _ in $(seq 1 300); do grep -q '^listening on ' "$sdir/serve.out" 2>/dev/null && break; sleep 0.1; done
    serve_url=$(sed -n 's/^listening on //p' "$sdir/serve.out")
    [[ -n $serve_url ]] || die "cadang serve did not start: $(cat "$sdir/serve.err")"
}
# stop_serve: prints the process's peak RSS in KiB, then stops it.
stop_serve() {
    awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status"
    kill "$serve_pid"
    wait "$serve_pid" 2>/dev/null || true
}
serve_yaml() {
    cat <<YAML
repository: $1
sources:
  pos: { plugin: pos-orders, inbox: [$sdir/inbox], timezone: Asia/Jakarta }
sinks:
  json: { plugin: json }
jobs:
  pos: { sources: [pos.events], sinks: [json] }
serve:
  tokens: { ingest: "\${CADANG_INGEST_TOKEN}", manager: "\${CADANG_MANAGER_TOKEN}" }
  duties: { sync: off, verify: off, cleanup: off }
YAML
}

echo
echo "==> serve: $SERVE_ORDERS orders through the API (20 clients, batches of 100); the orders page over $SERVE_STORED stored orders"
python3 - "$template" "$SERVE_ORDERS" "$sdir/inbox/orders.jsonl" <<'PY'
import json, sys
template, count, out = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]
one_line = json.dumps(json.loads(template))
with open(out, "w") as f:
    for n in range(count):
        f.write(one_line.replace("a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", "00000000-0000-4000-8000-%012d" % n)
                .replace("5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33", "10000000-0000-4000-8000-%012d" % n)
                .replace("00042-003-0017", "%05d-003-%04d" % (n // 10000, n % 10000)) + "\n")
PY
best_api=0 best_file=
peak_kb=0
for ((i = 1; i <= KREPEAT; i++)); do
    rm -rf "$sdir/repo" "$sdir/frepo"
    serve_yaml "$sdir/repo" >"$sdir/serve.yaml"
    start_serve "$sdir/serve.yaml"
    python3 "$root/Tests/ServeLoad/load_client.py" "$serve_url" "$CADANG_INGEST_TOKEN" "$template" "$SERVE_ORDERS" 20 100 >"$sdir/load.json"
    rss=$(stop_serve)
    read -r rate errors < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); stored = sum(1 for s in r["answers"].values() if s[-1] == "stored")
print("%.0f" % (stored / r["seconds"]), len(r["errors"]) + (int(sys.argv[2]) - stored))' "$sdir/load.json" "$SERVE_ORDERS")
    [[ $errors == 0 ]] || die "the API ingest lost or refused orders: $(head -c 600 "$sdir/load.json")"
    (( rss > peak_kb )) && peak_kb=$rss
    (( rate > best_api )) && best_api=$rate
    serve_yaml "$sdir/frepo" >"$sdir/file.yaml"
    measure "serve file ingest" "$work/sfile" -- "$cadang_plain" run pos --config "$sdir/file.yaml"
    grep -q "pos: $SERVE_ORDERS read — $SERVE_ORDERS stored" "$work/sfile.out" || die "the file ingest did not store every order: $(cat "$work/sfile.out" "$work/sfile.err")"
    echo "    API ingest               $rate orders/s, serve's peak RSS $(mib "$rss") MiB"
done
file_rate=$(awk -v n="$SERVE_ORDERS" -v s="${WALL[serve file ingest]}" 'BEGIN { printf "%.0f", n / s }')

# --- the orders page over 1,000,000 stored orders ---
rm -rf "$sdir/prepo" "$sdir/inbox"/*
serve_yaml "$sdir/prepo" >"$sdir/page.yaml"
"$cadang_plain" run pos --config "$sdir/page.yaml" >/dev/null
python3 "$root/Scripts/bench.d/pos-fill-store.py" "$sdir/prepo/state/pos/orders.db" "$SERVE_STORED" 2026 11
start_serve "$sdir/page.yaml"
jar="$sdir/cookies"
form=$(curl -s -c "$jar" "$serve_url/login" | sed -n 's/.*name="form" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "form=$form&token=$CADANG_MANAGER_TOKEN" "$serve_url/login"
page_worst=0
printf '    %-34s %12s %12s %8s\n' filter "API ms" "console ms" rows
for query in "" "state=error" "missing=1" "ready=1" "session=7" "config=3" "days=7" "from=2026-03-01&to=2026-03-31" "q=k123456" "q=00056-003-3456" "page=400"; do
    api_ms= console_ms=
    for ((r = 1; r <= 3; r++)); do
        t=$(curl -s -o "$sdir/page.json" -w '%{time_total}' -H "Authorization: Bearer $CADANG_MANAGER_TOKEN" "$serve_url/api/v1/sources/pos/orders?$query")
        ms=$(awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }'); [[ -z $api_ms || $ms -lt $api_ms ]] && api_ms=$ms
        t=$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' "$serve_url/sources/pos/orders?$query")
        ms=$(awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }'); [[ -z $console_ms || $ms -lt $console_ms ]] && console_ms=$ms
    done
    total=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"])' "$sdir/page.json") \
        || die "the orders page failed for '$query': $(head -c 300 "$sdir/page.json")"
    printf '    %-34s %12s %12s %8s\n' "${query:-(none)}" "$api_ms" "$console_ms" "$total"
    (( api_ms > page_worst )) && page_worst=$api_ms
    (( console_ms > page_worst )) && page_worst=$console_ms
done
rss=$(stop_serve)
(( rss > peak_kb )) && peak_kb=$rss
rm -rf "$sdir"

echo
echo "Summary (serve): best of $KREPEAT"
echo "  API ingest $best_api orders/s; the same orders from a file $file_rate orders/s (${WALL[serve file ingest]} s)"
echo
echo "Acceptance"
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a + 0 <= b + 0)}'; then v=PASS; else failed=1; v=FAIL; fi; }
verdict 2000 "$best_api"
printf '  %-52s %8s  >= 2000    %s   (file: %s/s, API/file %s)\n' "API ingest, orders/s" "$best_api" "$v" "$file_rate" \
    "$(awk -v a="$best_api" -v b="$file_rate" 'BEGIN { printf "%.2fx", a / b }')"
verdict "$page_worst" 299
printf '  %-52s %6s ms  < 300 ms   %s\n' "slowest orders page over $SERVE_STORED orders, any one filter" "$page_worst" "$v"
peak=$(mib "$peak_kb")
verdict "$peak" 143.05
printf '  %-52s %6s MiB  < 150 MB   %s\n' "serve's peak RSS under that load" "$peak" "$v"
