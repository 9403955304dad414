# Postgres sink benchmark, sourced by Scripts/bench (which defines measure, ratio, die, $work,
# $cadang_plain, $root, $failed and the WALL/CPU/RSS tables).
#
# On the kasir database of kasir-db.sh (1,000,000 sales by default), in a throwaway PostgreSQL
# server of its own (Scripts/test-postgres, stopped on exit), each of BENCH_PG_REPEAT (default 5)
# repetitions, interleaved so other work on the machine hits both sides alike:
#   cadang run pg     job { sources: [kasir.transaksi], sinks: [postgres] } into an
#                     empty schema: snapshot, export, COPY, the ledger, the set's commit
#   psql \copy        the same rows and columns, from a CSV, into an empty table of the same shape
# The CSV is the sink's own table dumped by `psql \copy … TO` after a first, unmeasured run, so
# psql loads exactly the columns and values cadang loaded; its table is made `LIKE` the sink's.
#
# Each side starts after a CHECKPOINT and a sync, with autovacuum off, so that neither pays for
# writing out or vacuuming the other's load.
# The sink sends binary COPY (no number formatting on either side); psql sends CSV.
#
# Acceptance, on the best wall time of the repetitions: cadang run <= 1.5x psql \copy.

# shellcheck source=kasir-db.sh
source "$root/Scripts/bench.d/kasir-db.sh"

# Five by default: the machine's noise moves single runs of either side by ±15%.
PGREPEAT=${BENCH_PG_REPEAT:-5}
[[ $PGREPEAT =~ ^[1-9][0-9]*$ ]] || die "BENCH_PG_REPEAT must be a positive integer (got '$PGREPEAT')"
command -v psql >/dev/null 2>&1 || die "psql is missing (package postgresql-client; Scripts/setup)"
# Its own folder, not under $work: the server runs as the postgres user, who cannot enter $work.
pgdir=$(mktemp -d -t cadang-bench-pg.XXXXXX)
pgconn=$("$root/Scripts/test-postgres" start "$pgdir") || die "Scripts/test-postgres could not start a server"
trap '"$root/Scripts/test-postgres" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$work" "$pgdir"' EXIT
pg() { PGOPTIONS="-c client_min_messages=warning" psql "$pgconn" -v ON_ERROR_STOP=1 -qAt "$@"; }
# No autovacuum: a vacuum of one repetition's million rows would land in a later one, on either side.
pg -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null

pconfig="$work/pgsink.yaml"
cat >"$pconfig" <<YAML
repository: $work/prepo
sources:
  kasir: { plugin: kasir-sqlite, database: $kdb }
sinks:
  pg:
    plugin: postgres
    postgres: "$pgconn"
    source: bench
jobs:
  pg: { sources: [kasir.transaksi], sinks: [pg] }
YAML

# Every run starts from an empty schema, as a first load into a new database does.
pg -c 'DROP SCHEMA IF EXISTS cadang CASCADE'
echo
echo "==> first cadang run, dumping its transaksi table to CSV (not measured)"
"$cadang_plain" --config "$pconfig" --quiet run pg >/dev/null || die "cadang run pg failed"
pcsv="$work/transaksi.csv"
pg -c "\\copy cadang.transaksi TO '$pcsv' WITH (FORMAT csv)"
prows=$(pg -c 'SELECT count(*) FROM cadang.transaksi')
[[ $prows == "$ktx_rows" ]] || die "the sink loaded $prows transactions, the database has $ktx_rows"
pg -c 'DROP SCHEMA IF EXISTS bench CASCADE' -c 'CREATE SCHEMA bench' -c 'CREATE TABLE bench.transaksi (LIKE cadang.transaksi)'

echo
echo "==> postgres sink: cadang run (transaksi only) beside psql \\copy of the same rows, $PGREPEAT times"
for ((i = 1; i <= PGREPEAT; i++)); do
    pg -c 'DROP SCHEMA IF EXISTS cadang CASCADE' -c CHECKPOINT
    rm -rf "$work/prepo"
    sync
    measure "cadang run pg" "$work/pgrun" -- "$cadang_plain" --config "$pconfig" --quiet run pg
    pg -c 'TRUNCATE bench.transaksi' -c CHECKPOINT
    sync
    measure "psql copy" "$work/pgcopy" -- psql "$pgconn" -v ON_ERROR_STOP=1 -qAt \
        -c "\\copy bench.transaksi FROM '$pcsv' WITH (FORMAT csv)"
done
[[ $(pg -c 'SELECT count(*) FROM cadang.transaksi') == "$ktx_rows" ]] || die "the last cadang run did not load every transaction"
[[ $(pg -c 'SELECT count(*) FROM bench.transaksi') == "$ktx_rows" ]] || die "psql \\copy did not load every transaction"

PG_RATIO=$(ratio "${WALL[cadang run pg]}" "${WALL[psql copy]}")
PG_VERDICT=$(awk -v r="${PG_RATIO%x}" 'BEGIN {print (r <= 1.5) ? "PASS" : "FAIL"}')
echo
echo "Summary (postgres sink): $ktx_rows transactions ($(mb "$kdb_bytes") MB database, $kgen_note); $(nproc) CPUs; best wall time of $PGREPEAT"
printf '  %-28s %9s %9s %12s\n' "case" "wall (s)" "cpu (s)" "peak RSS MiB"
printf '  %-28s %9s %9s %12s\n' "cadang run (postgres sink)" "${WALL[cadang run pg]}" "${CPU[cadang run pg]}" "$(mib "${RSS[cadang run pg]}")"
printf '  %-28s %9s %9s %12s\n' "psql \\copy from CSV" "${WALL[psql copy]}" "${CPU[psql copy]}" "$(mib "${RSS[psql copy]}")"
echo "Acceptance"
printf '  %-34s %8s  %-22s %s\n' "cadang run / psql \\copy" "$PG_RATIO" "<= 1.50x" "$PG_VERDICT"
echo "Notes: cadang's time holds the SQLite snapshot, the export query and the set's commit besides the COPY;"
echo "  psql reads a ready CSV. The cpu column of psql is the client's only (the server parses the CSV)."
if [[ $PG_VERDICT == PASS ]]; then
    echo "PASS (postgres sink): every acceptance line passed"
else
    echo "FAIL (postgres sink): the acceptance line failed"
    failed=1
fi

"$root/Scripts/test-postgres" stop "$pgdir" >/dev/null 2>&1 || true
rm -rf "$pgdir"
trap 'rm -rf "$work"' EXIT
