# Archive benchmark (issue 5), sourced by Scripts/bench (which defines measure, mb, mib, ratio,
# $work, $cadang_plain, $root and the WALL/CPU/RSS/BYTES tables).
#
# One run of the job `pack` on the kasir database of the kasir section (1,000,000 transactions):
# every dataset to Excel CSV and JSON plus kasir.db (~1.7 GB), then three targz sinks pack that
# same set one after another: gzip level 6 on 1 thread, gzip level 6 on 2 threads, zstd level 3.
# Each sink's --verbose log line times its packing (tar framing, compression, write, fsync) and,
# separately, its check (reading the archive back and comparing every entry with the manifest).
# Beside them, on the same set folder: GNU `tar czf` (gzip -6, what a shop owner would type), and
# for information `tar -I 'zstd -3 -T1' -cf`.
#
# Acceptance (best of N each): gzip 1 thread <= 0.45 x tar czf with output no larger;
# gzip 2 threads <= 0.3 x tar czf; zstd level 3 <= 0.3 x tar czf.

# shellcheck source=kasir-db.sh
source "$root/Scripts/bench.d/kasir-db.sh"

trepo="$work/trepo"
tdest="$work/tdest"
tconfig="$work/targz.yaml"
cat >"$tconfig" <<YAML
repository: $trepo
sources:
  kasir: { plugin: kasir-sqlite, database: $kdb }
sinks:
  excel: { plugin: csv, excel: true }
  json:  { plugin: json }
  gz1:   { plugin: targz, path: $tdest/gz1, level: 6, threads: 1 }
  gz2:   { plugin: targz, path: $tdest/gz2, level: 6, threads: 2 }
  zst:   { plugin: targz, path: $tdest/zst, compression: zstd, level: 3 }
jobs:
  pack: { sources: [kasir], sinks: [excel, json, gz1, gz2, zst] }
YAML

# targz_step SINK: the packing and checking seconds of SINK's archive, from the run's log.
targz_step() {
    sed -n "s|.*archive $tdest/$1/[^:]*: \\([0-9]*\\) bytes, packed in \\([0-9.]*\\) s, checked in \\([0-9.]*\\) s\$|\\1 \\2 \\3|p" "$work/tpack.err"
}
keep_best() { # NAME SECONDS BYTES
    if [[ -z ${WALL[$1]:-} ]] || awk -v a="$2" -v b="${WALL[$1]}" 'BEGIN {exit !(a < b)}'; then WALL[$1]=$2; fi
    BYTES[$1]=$3
}

echo
echo "==> Archives: one 'auto'-shaped set of the $KTX-transaction database, packed three ways, beside GNU tar"
for ((i = 1; i <= KREPEAT; i++)); do
    ((KREPEAT > 1)) && echo "  run $i of $KREPEAT"
    rm -rf "$trepo" "$tdest"
    mkdir -p "$tdest"
    measure "cadang run pack" "$work/tpack" -- "$cadang_plain" run pack --config "$tconfig" --verbose
    set_dir=$(find "$trepo/sets" -mindepth 1 -maxdepth 1 -type d)
    set_id=${set_dir##*/}
    set_bytes=$(du -sb "$set_dir" | cut -f1)
    for sink in gz1 gz2 zst; do
        read -r bytes packed checked <<<"$(targz_step "$sink")"
        [[ -n ${checked:-} ]] || die "no 'archive … packed in' line for sink $sink in $work/tpack.err"
        keep_best "targz $sink pack" "$packed" "$bytes"
        keep_best "targz $sink check" "$checked" "$bytes"
        printf '    %-24s pack %7.2f s   check %7.2f s   %s MB\n' "targz $sink" "$packed" "$checked" "$(mb "$bytes")"
    done
    gzip -t "$tdest/gz1/"*.tar.gz && gzip -t "$tdest/gz2/"*.tar.gz && zstd -q -t "$tdest/zst/"*.tar.zst ||
        die "an archive failed gzip -t / zstd -t"
    rm -rf "$tdest"
    measure "tar czf" "$work/ttar" -- tar czf "$work/t.tar.gz" -C "$trepo/sets" "$set_id"
    BYTES[tar czf]=$(stat -c %s "$work/t.tar.gz")
    rm -f "$work/t.tar.gz"
    measure "tar zstd -3" "$work/ttarz" -- tar -I 'zstd -3 -T1' -cf "$work/t.tar.zst" -C "$trepo/sets" "$set_id"
    BYTES[tar zstd -3]=$(stat -c %s "$work/t.tar.zst")
    rm -f "$work/t.tar.zst"
done
rm -rf "$trepo"

tarz=${WALL[tar czf]}
r1=$(ratio "${WALL[targz gz1 pack]}" "$tarz")
r2=$(ratio "${WALL[targz gz2 pack]}" "$tarz")
r3=$(ratio "${WALL[targz zst pack]}" "$tarz")
v1=$(awk -v r="${r1%x}" -v a="${BYTES[targz gz1 pack]}" -v b="${BYTES[tar czf]}" 'BEGIN {print (r <= 0.45 && a <= b) ? "PASS" : "FAIL"}')
v2=$(awk -v r="${r2%x}" 'BEGIN {print (r <= 0.3) ? "PASS" : "FAIL"}')
v3=$(awk -v r="${r3%x}" 'BEGIN {print (r <= 0.3) ? "PASS" : "FAIL"}')
targz_failed=0
[[ $v1 == PASS && $v2 == PASS && $v3 == PASS ]] || targz_failed=1
((targz_failed)) && failed=1

t_row() { printf '  %-26s %8s %12s\n' "$1" "${WALL[$1]}" "$(mb "${BYTES[$1]}")"; }
echo
echo "Summary (archives): a set of $(mb "$set_bytes") MB ($KTX transactions); $(nproc) CPUs; best wall time of $KREPEAT"
printf '  %-26s %8s %12s\n' "case" "seconds" "output MB"
for name in "tar czf" "targz gz1 pack" "targz gz2 pack" "targz zst pack" "tar zstd -3" "targz gz1 check" "targz gz2 check" "targz zst check"; do
    t_row "$name"
done
echo
echo "Acceptance (ratio = cadang packing / tar czf, same set)"
printf '  %-44s %8s %-26s %s\n' "targz gzip level 6, 1 thread" "$r1" "<= 0.45x, output <= tar's" "$v1"
printf '  %-44s %8s %-26s %s\n' "targz gzip level 6, 2 threads" "$r2" "<= 0.3x" "$v2"
printf '  %-44s %8s %-26s %s\n' "targz zstd level 3" "$r3" "<= 0.3x" "$v3"
echo "  For information: zstd against tar -I 'zstd -3 -T1': $(ratio "${WALL[targz zst pack]}" "${WALL[tar zstd -3]}");" \
    "peak RSS of the whole run (export + 3 archives): $(mib "${RSS[cadang run pack]}") MiB"
echo "Notes: 'pack' is tar framing + compression + write + fsync, timed inside cadang; tar's time is the whole"
echo "  process and does not fsync. 'check' (not judged) reads the archive back with libarchive (zlib or libzstd)"
echo "  and compares every entry's SHA-256 with the manifest before the archive gets its final name."
if ((targz_failed)); then
    echo "FAIL (archives): at least one acceptance line failed"
else
    echo "PASS (archives): every acceptance line passed"
fi
