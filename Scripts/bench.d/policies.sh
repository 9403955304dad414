# Policies benchmark (issue 4), sourced by Scripts/bench (which defines measure, mib, ratio, $work,
# $cadang_plain, $root and the WALL/CPU/RSS tables).
#
#   skip-unchanged   on the kasir database of the kasir section (1,000,000 transactions): the
#                    starter config's `auto` job with a `duplicate: skip-unchanged` policy, run
#                    twice; the first run writes a set, the second finds the database unchanged
#                    and writes none. Acceptance: second run <= 0.25 x the first (best of N each).
#                    Beside it, for information, what the check needs at least: `sqlite3 .backup`
#                    + `openssl dgst -sha256` of the copy.
#   prune planning   10,000 sets of one job (one every hour over ~14 months, written straight into a
#                    repository by Python, each with a manifest and one small artifact), then
#                    `cadang prune --dry-run --json` with the starter config's `harian` rules.
#                    Acceptance: under 1 s wall time for the whole command (reading 10,000
#                    manifests, planning, printing).

# shellcheck source=kasir-db.sh
source "$root/Scripts/bench.d/kasir-db.sh"
PSETS=${BENCH_PRUNE_SETS:-10000}
[[ $PSETS =~ ^[1-9][0-9]*$ ]] || die "BENCH_PRUNE_SETS must be a positive integer (got '$PSETS')"

prepo="$work/prepo"
pconfig="$work/policies.yaml"
cat >"$pconfig" <<YAML
repository: $prepo
sources:
  kasir: { plugin: kasir-sqlite, database: $kdb }
sinks:
  excel: { plugin: csv, excel: true }
  json:  { plugin: json }
policies:
  sama:   { plugin: duplicate, mode: skip-unchanged }
  harian: { plugin: retention, keep_last: 10, keep_daily: 7, keep_weekly: 4, keep_monthly: 12 }
jobs:
  auto: { sources: [kasir], sinks: [excel, json], policies: [sama] }
  hourly: { sources: [kasir.produk], sinks: [json], policies: [harian] }
YAML

echo
echo "==> Policies: skip-unchanged on $KTX transactions ($(mib $((kdb_bytes / 1024))) MiB database), prune planning over $PSETS sets"
for ((i = 1; i <= KREPEAT; i++)); do
    ((KREPEAT > 1)) && echo "  run $i of $KREPEAT"
    rm -rf "$prepo"
    measure "cadang auto, first" "$work/pfirst" -- "$cadang_plain" run auto --config "$pconfig"
    grep -q '^auto: set ' "$work/pfirst.out" || die "the first auto run wrote no set: $(cat "$work/pfirst.out" "$work/pfirst.err")"
    measure "cadang auto, unchanged" "$work/psecond" -- "$cadang_plain" run auto --config "$pconfig"
    grep -q 'unchanged since' "$work/psecond.out" || die "the second auto run did not skip: $(cat "$work/psecond.out" "$work/psecond.err")"
    [[ $(find "$prepo/sets" -mindepth 1 -maxdepth 1 -type d | wc -l) == 1 ]] || die "the unchanged run wrote a set"
    rm -f "$work/psnap.db"
    measure "sqlite3 .backup + sha256" "$work/pfloor" -- sh -c 'sqlite3 -readonly "$1" ".backup $2" && $3 "$2" >/dev/null' \
        sh "$kdb" "$work/psnap.db" "$(command -v openssl >/dev/null 2>&1 && echo 'openssl dgst -sha256' || echo sha256sum)"
    rm -f "$work/psnap.db"
done
rm -rf "$prepo"

# 10,000 sets of job 'hourly', as cadang writes them (ids, RFC 3339 times, manifest format).
python3 - "$prepo" "$PSETS" <<'PY'
import datetime, hashlib, json, os, random, sys
repo, count = sys.argv[1], int(sys.argv[2])
random.seed(1)
os.makedirs(os.path.join(repo, "sets"), mode=0o700)
os.makedirs(os.path.join(repo, "tmp"), mode=0o700)
start = datetime.datetime(2025, 9, 1, tzinfo=datetime.timezone.utc)
body = b'[{"id":1}]\n'
digest = hashlib.sha256(body).hexdigest()
for n in range(count):
    t = start + datetime.timedelta(hours=n, seconds=random.randrange(0, 600))
    set_id = t.strftime("%Y%m%dT%H%M%S.") + f"{t.microsecond:06d}Z-{random.getrandbits(48):012x}"
    folder = os.path.join(repo, "sets", set_id)
    os.mkdir(folder, 0o700)
    with open(os.path.join(folder, "produk.json"), "wb") as f:
        f.write(body)
    manifest = {"format": "cadang-manifest/1", "id": set_id, "job": "hourly",
                "time": t.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "created": t.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                "tool": "bench", "sources": [{"name": "kasir", "plugin": "kasir-sqlite", "description": "bench"}],
                "artifacts": [{"path": "produk.json", "dataset": "produk", "format": "json", "bytes": len(body),
                               "rows": 1, "sha256": digest}], "warnings": []}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)
PY
for ((i = 1; i <= KREPEAT; i++)); do
    measure "cadang prune --dry-run" "$work/pprune" -- "$cadang_plain" prune hourly --dry-run --json --config "$pconfig"
done
pkept=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["keep"]), len(d["remove"]))' "$work/pprune.out")
[[ $pkept == *" "* ]] || die "prune --dry-run --json printed no plan"
[[ $(find "$prepo/sets" -mindepth 1 -maxdepth 1 -type d | wc -l) == "$PSETS" ]] || die "prune --dry-run removed sets"
rm -rf "$prepo"

first=${WALL[cadang auto, first]}
second=${WALL[cadang auto, unchanged]}
r_skip=$(ratio "$second" "$first")
v_skip=$(awk -v r="${r_skip%x}" 'BEGIN {if (r <= 0.25) print "PASS"; else print "FAIL"}')
prune=${WALL[cadang prune --dry-run]}
v_prune=$(awk -v t="$prune" 'BEGIN {if (t < 1.0) print "PASS"; else print "FAIL"}')
policies_failed=0
[[ $v_skip == PASS && $v_prune == PASS ]] || policies_failed=1
((policies_failed)) && failed=1

p_row() { printf '  %-30s %8s %8s %9s\n' "$1" "${WALL[$1]}" "${CPU[$1]}" "$(mib "${RSS[$1]}")"; }
echo
echo "Summary (policies): $KTX transactions ($kgen_note), $PSETS sets; $(nproc) CPUs; best wall time of $KREPEAT"
printf '  %-30s %8s %8s %9s\n' "case" "wall" "cpu" "RSS"
p_row "cadang auto, first"
p_row "cadang auto, unchanged"
p_row "sqlite3 .backup + sha256"
p_row "cadang prune --dry-run"
echo
echo "Acceptance"
printf '  %-62s %8s %8s  %s\n' "skip-unchanged: unchanged run / first run" "$r_skip" "<= 0.25x" "$v_skip"
printf '  %-62s %8s %8s  %s\n' "prune --dry-run over $PSETS sets (keeps $(cut -d' ' -f1 <<<"$pkept"), removes $(cut -d' ' -f2 <<<"$pkept"))" "${prune}s" "< 1s" "$v_prune"
echo "  For information: the unchanged run against its floor (.backup + sha256): $(ratio "$second" "${WALL[sqlite3 .backup + sha256]}")"
if ((policies_failed)); then
    echo "FAIL (policies): at least one acceptance line failed"
else
    echo "PASS (policies): every acceptance line passed"
fi
