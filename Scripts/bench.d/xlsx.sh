# xlsx sink benchmark (issue 15), sourced by Scripts/bench (which defines measure, mb, mib, ratio,
# die, $work, $cadang_plain, $root, $failed and the WALL/CPU/RSS/BYTES tables).
#
# What the shop owner waits for is the whole run of a job exporting the 1,000,000-sale `transaksi`
# table: the consistent snapshot, the query, the xlsx sink and its checks (fsync, the SHA-256 of the
# finished workbook, the manifest). Side by side, interleaved per repetition:
#
#   cadang run xlsx     job { sources: [kasir.transaksi], sinks: [xlsx] }
#   xlsx-reference      Scripts/bench.d/xlsx-reference.c: the same query, the same cells, header,
#                       frozen row, filter and widths, written with libxlsxwriter directly (-O2)
#   cadang run csv      job { sources: [kasir.transaksi], sinks: [excel] }, for the ratio
#
# Acceptance: cadang's xlsx run <= 1.2 x xlsx-reference (Cadang adds little around the library);
# cadang's peak RSS < 64 MB. Printed for information: the ratio to the csv sink.

# shellcheck source=kasir-db.sh
source "$root/Scripts/bench.d/kasir-db.sh"

xref="$work/xlsx-reference"
cc -O2 "$root/Scripts/bench.d/xlsx-reference.c" -o "$xref" $(pkg-config --cflags --libs xlsxwriter sqlite3) ||
    die "cannot build the xlsx reference (install libxlsxwriter-dev and libsqlite3-dev: Scripts/setup)"
xconfig="$work/xlsx.yaml"
cat >"$xconfig" <<YAML
repository: $work/xrepo
sources:
  kasir: { plugin: kasir-sqlite, database: $kdb }
sinks:
  excel: { plugin: csv, excel: true }
  xlsx:  { plugin: xlsx }
jobs:
  xlsx: { sources: [kasir.transaksi], sinks: [xlsx] }
  csv:  { sources: [kasir.transaksi], sinks: [excel] }
YAML

echo
echo "==> xlsx sink: transaksi ($ktx_rows rows, 14 columns), best of $KREPEAT"
for ((i = 1; i <= KREPEAT; i++)); do
    rm -rf "$work/xrepo" "$work/xref"
    mkdir -p "$work/xref"
    measure "cadang xlsx" "$work/xlsx" -- "$cadang_plain" --config "$xconfig" --quiet run xlsx
    measure "xlsx-reference" "$work/xref-run" -- "$xref" "$kdb" "$work/xref/transaksi.xlsx"
    measure "cadang csv (excel)" "$work/xcsv" -- "$cadang_plain" --config "$xconfig" --quiet run csv
done
xbook=$(find "$work/xrepo/sets" -name '*.xlsx' | head -1)
echo "    cadang's workbook $(mb "$(stat -c %s "$xbook")") MB, the reference's $(mb "$(stat -c %s "$work/xref/transaksi.xlsx")") MB"
xratio=$(ratio "${WALL[cadang xlsx]}" "${WALL[xlsx-reference]}")
echo "    cadang xlsx / xlsx-reference: $xratio (acceptance <= 1.20x)"
if awk -v a="${WALL[cadang xlsx]}" -v b="${WALL[xlsx-reference]}" 'BEGIN {exit !(a <= 1.2 * b)}'; then
    echo "    PASS  xlsx run within 1.2x of libxlsxwriter alone"
else
    echo "    FAIL  xlsx run over 1.2x of libxlsxwriter alone"
    failed=1
fi
if ((RSS[cadang xlsx] >= LIMIT_KB)); then failed=1; fi
echo "    cadang xlsx / cadang csv (excel): $(ratio "${WALL[cadang xlsx]}" "${WALL[cadang csv (excel)]}") (information)"
