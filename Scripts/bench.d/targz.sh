# Archive benchmark (issue 5; whole-cost lines from issue 9), sourced by Scripts/bench (which
# defines measure, mb, mib, ratio, die, $work, $cadang_plain, $root, $failed and the
# WALL/CPU/RSS/BYTES tables).
#
# What a shop owner pays for an archive is the whole sink: packing, proving the compressed stream,
# fsync, re-reading the file from the drive, the sidecar and the rename. So each sink is measured
# as the difference between two `cadang run`s of the same set, one with the sink and one without:
#
#   cadang run base    job { sources: [kasir], sinks: [excel, json] } (the starter config's auto,
#                      minus its archive)
#   cadang run gz1     the same plus { plugin: targz, level: 6, threads: 1 }
#   cadang run gz2     the same plus { plugin: targz, level: 6, threads: 2 }
#   cadang run zst     the same plus { plugin: targz, compression: zstd, level: 3 }
#   cadang run zsa     the same as zst, encrypted: encrypt: { recipients: [age1…] } (issue 14)
#
# Beside them, interleaved in every repetition so that other work on the machine hits both sides
# alike, on the folder of the set just written: GNU `tar czf` (tar piping into gzip -6, what one
# would type) and, for information, `tar -I 'zstd -3 -T1' -cf`.
#
# Acceptance, each on the best wall time of the repetitions (sink cost = best run with the sink −
# best run without it):
#   gzip level 6, 1 thread  <= 0.45 x tar czf, and its archive no larger than tar czf's;
#   gzip level 6, 2 threads <= 0.30 x tar czf, archive no larger;
#   zstd level 3            <= 0.30 x tar czf, archive no larger;
#   zstd level 3, encrypted <= 1.10 x the zstd sink's cost (encryption adds at most 10 %);
#   `age -d` of the encrypted archive no slower than of `age -r` of the plain one (best of the
#   repetitions, 5 % tolerance for timer noise): Cadang writes standard 64 KiB STREAM chunks.
# Printed for information: each sink's own --verbose breakdown (streaming with the in-memory
# proof, fsync, re-read from the drive) and how many of the archive's pages were still cached when
# it was re-read (0 means every byte came from the drive).

# shellcheck source=kasir-db.sh
source "$root/Scripts/bench.d/kasir-db.sh"

trepo="$work/trepo"
tdest="$work/tdest"
tconfig="$work/targz.yaml"
age-keygen -o "$work/bench-key.txt" 2>/dev/null || die "age-keygen failed (install age: Scripts/setup)"
trecipient=$(age-keygen -y "$work/bench-key.txt")
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
  zsa:   { plugin: targz, path: $tdest/zsa, compression: zstd, level: 3, encrypt: { recipients: [$trecipient] } }
jobs:
  base: { sources: [kasir], sinks: [excel, json] }
  gz1:  { sources: [kasir], sinks: [excel, json, gz1] }
  gz2:  { sources: [kasir], sinks: [excel, json, gz2] }
  zst:  { sources: [kasir], sinks: [excel, json, zst] }
  zsa:  { sources: [kasir], sinks: [excel, json, zsa] }
YAML

# targz_step SINK: "bytes streamed fsync reread cached pages" from SINK's --verbose line.
targz_step() {
    sed -n "s|.*archive $tdest/$1/[^:]*: \\([0-9]*\\) bytes; streamed and proved in \\([0-9.]*\\) s, fsync \\([0-9.]*\\) s, re-read from the drive in \\([0-9.]*\\) s (\\([0-9]*\\) of \\([0-9]*\\) pages were still cached)\$|\\1 \\2 \\3 \\4 \\5 \\6|p" \
        "$work/ttargz-$1.err"
}
declare -A CACHED # per sink: "N of M" pages still cached when the archive was re-read
keep_best() { # NAME SECONDS
    if [[ -z ${WALL[$1]:-} ]] || awk -v a="$2" -v b="${WALL[$1]}" 'BEGIN {exit !(a < b)}'; then WALL[$1]=$2; fi
}

# targz_run JOB: one `cadang run JOB` on a fresh repository and destination; leaves the set.
targz_run() {
    rm -rf "$trepo" "$tdest"
    mkdir -p "$tdest"
    measure "cadang run $1" "$work/ttargz-$1" -- "$cadang_plain" run "$1" --config "$tconfig" --verbose
}

echo
echo "==> Archives: the 'auto'-shaped job on the $KTX-transaction database with and without each targz sink," \
    "beside GNU tar  ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ))"
echo "    work folder $work ($(df -h --output=source "$work" | tail -1), $(stat -f -c %T "$work"))"
for ((i = 1; i <= KREPEAT; i++)); do
    ((KREPEAT > 1)) && echo "  run $i of $KREPEAT (load $(cut -d' ' -f1-3 /proc/loadavg))"
    targz_run base
    for sink in gz1 gz2 zst zsa; do
        targz_run "$sink"
        archive=$(find "$tdest/$sink" -maxdepth 1 -name "$sink-*.tar.*" ! -name '*.sha256')
        [[ -f $archive ]] || die "job $sink wrote no archive in $tdest/$sink"
        BYTES[cadang run $sink]=$(stat -c %s "$archive")
        case $sink in
            zst) zstd -q -t "$archive"
                 cp "$archive" "$work/plain.tar.zst" ;;
            zsa) age -d -i "$work/bench-key.txt" "$archive" | zstd -q -t
                 # age -d of Cadang's archive and of one age made of the same plain archive.
                 age -r "$trecipient" -o "$work/by-age.tar.zst.age" "$work/plain.tar.zst"
                 # Each well under a second: five alternating runs each, the best counts.
                 for ((a = 0; a < 5; a++)); do
                     measure "age -d of cadang" "$work/tage1" -- age -d -i "$work/bench-key.txt" -o /dev/null "$archive"
                     measure "age -d of age" "$work/tage2" -- age -d -i "$work/bench-key.txt" -o /dev/null "$work/by-age.tar.zst.age"
                 done
                 rm -f "$work/by-age.tar.zst.age" "$work/plain.tar.zst" ;;
            *) gzip -t "$archive" ;;
        esac || die "$archive failed gzip -t / zstd -t"
        read -r bytes streamed synced reread cached pages <<<"$(targz_step "$sink")"
        [[ -n ${pages:-} ]] || die "no 'archive … streamed and proved in' line for sink $sink in $work/ttargz-$sink.err"
        keep_best "targz $sink streamed" "$streamed"
        keep_best "targz $sink fsync" "$synced"
        keep_best "targz $sink re-read" "$reread"
        CACHED[$sink]="$cached of $pages"
        printf '    %-24s streamed+proved %6.2f s   fsync %5.2f s   re-read %5.2f s (%s pages still cached)   %s MB\n' \
            "targz $sink" "$streamed" "$synced" "$reread" "$cached of $pages" "$(mb "$bytes")"
    done
    set_dir=$(find "$trepo/sets" -mindepth 1 -maxdepth 1 -type d)
    set_id=${set_dir##*/}
    set_bytes=$(du -sb "$set_dir" | cut -f1)
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
base=${WALL[cadang run base]}
declare -A COST TRATIO TVERDICT
targz_failed=0
for sink in gz1 gz2 zst zsa; do
    COST[$sink]=$(awk -v a="${WALL[cadang run $sink]}" -v b="$base" 'BEGIN {printf "%.2f", a - b}')
    TRATIO[$sink]=$(ratio "${COST[$sink]}" "$tarz")
    [[ $sink == zsa ]] && continue
    limit=0.30
    [[ $sink == gz1 ]] && limit=0.45
    TVERDICT[$sink]=$(awk -v r="${TRATIO[$sink]%x}" -v l="$limit" -v a="${BYTES[cadang run $sink]}" -v b="${BYTES[tar czf]}" \
        'BEGIN {print (r <= l && a <= b) ? "PASS" : "FAIL"}')
    [[ ${TVERDICT[$sink]} == PASS ]] || targz_failed=1
done
ZSA_RATIO=$(ratio "${COST[zsa]}" "${COST[zst]}")
TVERDICT[zsa]=$(awk -v r="${ZSA_RATIO%x}" 'BEGIN {print (r <= 1.10) ? "PASS" : "FAIL"}')
AGE_RATIO=$(ratio "${WALL[age -d of cadang]}" "${WALL[age -d of age]}")
AGE_VERDICT=$(awk -v r="${AGE_RATIO%x}" 'BEGIN {print (r <= 1.05) ? "PASS" : "FAIL"}')
[[ ${TVERDICT[zsa]} == PASS && $AGE_VERDICT == PASS ]] || targz_failed=1
((targz_failed)) && failed=1

echo
echo "Summary (archives): a set of $(mb "$set_bytes") MB ($KTX transactions); $(nproc) CPUs; best wall time of $KREPEAT"
printf '  %-28s %9s %9s %12s\n' "case" "wall (s)" "cpu (s)" "output MB"
printf '  %-28s %9s %9s %12s\n' "cadang run base (no archive)" "$base" "${CPU[cadang run base]}" ""
for sink in gz1 gz2 zst zsa; do
    printf '  %-28s %9s %9s %12s\n' "cadang run $sink" "${WALL[cadang run $sink]}" "${CPU[cadang run $sink]}" "$(mb "${BYTES[cadang run $sink]}")"
done
printf '  %-28s %9s %9s %12s\n' "tar czf" "$tarz" "${CPU[tar czf]}" "$(mb "${BYTES[tar czf]}")"
printf '  %-28s %9s %9s %12s\n' "tar -I 'zstd -3 -T1'" "${WALL[tar zstd -3]}" "${CPU[tar zstd -3]}" "$(mb "${BYTES[tar zstd -3]}")"
echo
echo "The sinks' own breakdown (best of $KREPEAT each; for information):"
for sink in gz1 gz2 zst zsa; do
    printf '  targz %-4s streamed+proved %6s s   fsync %5s s   re-read from the drive %5s s   (%s pages still cached at the re-read)\n' \
        "$sink" "${WALL[targz $sink streamed]}" "${WALL[targz $sink fsync]}" "${WALL[targz $sink re-read]}" "${CACHED[$sink]}"
done
echo
echo "Acceptance (sink cost = cadang run with the sink - the same run without it; ratio = cost / tar czf, same set)"
printf '  %-34s %8s s %8s  %-34s %s\n' "targz gzip level 6, 1 thread" "${COST[gz1]}" "${TRATIO[gz1]}" "<= 0.45x, output <= tar czf's" "${TVERDICT[gz1]}"
printf '  %-34s %8s s %8s  %-34s %s\n' "targz gzip level 6, 2 threads" "${COST[gz2]}" "${TRATIO[gz2]}" "<= 0.30x, output <= tar czf's" "${TVERDICT[gz2]}"
printf '  %-34s %8s s %8s  %-34s %s\n' "targz zstd level 3" "${COST[zst]}" "${TRATIO[zst]}" "<= 0.30x, output <= tar czf's" "${TVERDICT[zst]}"
printf '  %-34s %8s s %8s  %-34s %s\n' "targz zstd level 3, encrypted" "${COST[zsa]}" "$ZSA_RATIO" "<= 1.10x the zstd sink's cost" "${TVERDICT[zsa]}"
printf '  %-34s %8s s %8s  %-34s %s\n' "age -d of cadang's archive" "${WALL[age -d of cadang]}" "$AGE_RATIO" "<= 1.05x age -d of age -r's" "$AGE_VERDICT"
echo "  For information: zstd sink cost against tar -I 'zstd -3 -T1': $(ratio "${COST[zst]}" "${WALL[tar zstd -3]}");" \
    "peak RSS of a run with an archive: $(mib "$(printf '%s\n' "${RSS[cadang run gz1]}" "${RSS[cadang run gz2]}" "${RSS[cadang run zst]}" | sort -n | tail -1)") MiB"
echo "Notes: the sink cost holds everything the sink does (pax framing, compression, the in-memory proof of the"
echo "  compressed stream against the manifest, SHA-256, write, fsync, dropping the file's cached pages and"
echo "  re-reading it from the drive against that SHA-256, the .sha256 sidecar, the rename). tar czf checks"
echo "  nothing and does not fsync."
if ((targz_failed)); then
    echo "FAIL (archives): at least one acceptance line failed"
else
    echo "PASS (archives): every acceptance line passed"
fi
