# The generated kasir database shared by the kasir and policies sections, sourced by them (once:
# a second source reuses what the first prepared). Defines KTX, KREPEAT, kdb, kdb_bytes, ktx_rows,
# kitem_rows and kgen_note.
if [[ -z ${kdb:-} ]]; then
    KTX=${BENCH_TRANSACTIONS:-1000000}
    KREPEAT=${BENCH_KASIR_REPEAT:-${BENCH_REPEAT:-3}}
    [[ $KTX =~ ^[1-9][0-9]*$ ]] && ((KTX >= 16)) || die "BENCH_TRANSACTIONS must be an integer >= 16 (got '$KTX')"
    [[ $KREPEAT =~ ^[1-9][0-9]*$ ]] || die "BENCH_KASIR_REPEAT must be a positive integer (got '$KREPEAT')"

    kgen="$root/Scripts/kasir-sample-db"
    if [[ -n ${BENCH_KEEP:-} ]]; then
        kdir="${TMPDIR:-/tmp}/cadang-bench-kasir"
        mkdir -p "$kdir"
    else
        kdir="$work/kasir"
        mkdir -p "$kdir"
fi
kdb="$kdir/kasir-$KTX.db"
# The stamp names the generator's content and the arguments; a kept database is reused only when both match.
kstamp="$(sha256sum "$kgen" | cut -c1-16) --transactions $KTX --seed 1"
if [[ -f $kdb && -f $kdb.stamp && $(cat "$kdb.stamp") == "$kstamp" ]]; then
    kgen_note="reused $kdb (BENCH_KEEP)"
else
    echo
    echo "==> Scripts/kasir-sample-db $kdb --transactions $KTX (not measured)"
    rm -f "$kdb.stamp"
    kgen_start=$(date +%s.%N)
    "$kgen" "$kdb" --transactions "$KTX" --seed 1 --force
    kgen_end=$(date +%s.%N)
    echo "$kstamp" >"$kdb.stamp"
    kgen_note="generated in $(awk -v a="$kgen_start" -v b="$kgen_end" 'BEGIN {printf "%.1f", b - a}') s"
fi
ktx_rows=$(sqlite3 -readonly "$kdb" 'SELECT count(*) FROM transaksi')
kitem_rows=$(sqlite3 -readonly "$kdb" 'SELECT count(*) FROM transaksi_item')
[[ $ktx_rows == "$KTX" ]] || die "$kdb has $ktx_rows transactions, expected $KTX"
kdb_bytes=$(stat -c %s "$kdb")
cat "$kdb" >/dev/null # both sides read the live file from the page cache
fi
