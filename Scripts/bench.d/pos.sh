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
KREPEAT=${KREPEAT:-${BENCH_REPEAT:-1}}
POS_ORDERS=${BENCH_POS_ORDERS:-100000}
POS_BIG=${BENCH_POS_BIG_ORDERS:-200000}
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
rm -rf "$pdir"

ingest_ratio=$(ratio "${WALL[pos ingest]}" "${WALL[python ingest]}")
rerun_ratio=$(ratio "${WALL[pos re-run]}" "${WALL[pos ingest]}")
echo
echo "Summary (POS): best wall time of $KREPEAT"
printf '  %-26s %9s %9s %12s\n' case "wall (s)" "cpu (s)" "peak RSS MiB"
for name in "pos ingest" "python ingest" "pos re-run" "pos big file"; do
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
