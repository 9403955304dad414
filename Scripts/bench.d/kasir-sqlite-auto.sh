#!/usr/bin/env bash
# The sqlite3 side of the kasir bench's `run auto` line (Scripts/bench.d/kasir.sh): what
# `cadang run auto` does, done by sqlite3 and coreutils as one chain of processes, one after another.
#
#   Scripts/bench.d/kasir-sqlite-auto.sh LIVE.db OUT-FOLDER 'YYYY-MM-DD HH:MM:SS'
#
#   1. sqlite3 -readonly LIVE.db ".backup OUT/kasir.db"          the snapshot (online backup API)
#   2. sqlite3 OUT/kasir.db "PRAGMA quick_check"                  must answer ok
#   3. one sqlite3 process on the copy: for every table the job exports, -csv -header (the CSV's
#      columns and titles, people's audience, the Backup Date constant) into OUT/<table>.csv and
#      -json (the JSON's columns, programs' audience) into OUT/<table>.json, with the joins,
#      expressions and order of Plugins/KasirSource/KasirExports.swift for the create_all schema
#      (produk, transaksi, transaksi_item; every other table as stored, in rowid order, without
#      user.password_hash)
#   4. sha256sum of every file in OUT
#
# sqlite3's CSV mode ends records with CRLF, as the excel profile does; it writes no BOM and
# guards no formulas. Nothing here is fsynced except what .backup syncs itself.
set -euo pipefail
export LC_ALL=C

(($# == 3)) || { echo "usage: $0 LIVE.db OUT-FOLDER 'YYYY-MM-DD HH:MM:SS'" >&2; exit 2; }
db=$1 out=$2 date=$3
rm -rf "$out"
mkdir -p "$out"

sqlite3 -readonly "$db" ".backup $out/kasir.db"
verdict=$(sqlite3 "file:$out/kasir.db?immutable=1" "PRAGMA quick_check")
[[ $verdict == ok ]] || { echo "quick_check of the copy: $verdict" >&2; exit 1; }

# export TABLE CSV-SELECT JSON-SELECT: the dot-commands writing one table's two files.
export_table() {
    printf '.mode csv\n.output %s/%s.csv\n%s;\n.mode json\n.output %s/%s.json\n%s;\n' "$out" "$1" "$2" "$out" "$1" "$3"
}
# columns "expression|CSV title|JSON name"...: the CSV's select list, then the JSON's, one per line;
# an empty title or name leaves the column out of that export.
columns() {
    local csv="" json="" spec expr title name
    for spec in "$@"; do
        IFS='|' read -r expr title name <<<"$spec"
        [[ -n $title ]] && csv+="${csv:+, }$expr AS \"$title\""
        [[ -n $name ]] && json+="${json:+, }$expr AS \"$name\""
    done
    printf '%s\n%s\n' "$csv" "$json"
}
backup_date="'$date'|Backup Date|"

script="$out.sql"
{
    echo ".headers on"
    { read -r csv; read -r json; } < <(columns 'p."id"|ID|id' 'p."kode"|Kode|kode' 'p."nama"|Nama|nama' \
        'p."deskripsi"|Deskripsi|deskripsi' 'p."harga_beli"|Harga Beli|harga_beli' 'p."harga_jual"|Harga Jual|harga_jual' \
        'p."stok"|Stok|stok' "COALESCE(k.\"nama\", '-')|Kategori|kategori" 'p."minimal_stok"|Minimal Stok|minimal_stok' \
        'p."satuan"|Satuan|satuan' "$backup_date")
    from='FROM produk p LEFT JOIN kategori k ON k.id = p.kategori_id ORDER BY p.id'
    export_table produk "SELECT $csv $from" "SELECT $json $from"

    # The CSV has the upper-cased payment method, the JSON the stored one.
    { read -r csv; read -r json; } < <(columns 't."id"|ID|id' 't."kode_transaksi"|Kode Transaksi|kode_transaksi' \
        't."tanggal"|Tanggal|tanggal' 't."subtotal"|Subtotal|subtotal' 't."discount_percent"|Diskon %|discount_percent' \
        't."discount_amount"|Diskon Rp|discount_amount' 't."total"|Total|total' 't."bayar"|Bayar|bayar' \
        't."kembalian"|Kembalian|kembalian' 't."payment_method"||payment_method' 'UPPER(t."payment_method")|Metode Pembayaran|' \
        "COALESCE(u.\"nama\", '-')|Kasir|kasir" "COALESCE(m.\"nama\", NULLIF(t.\"member_manual\", ''), '-')|Member|member" \
        'COALESCE(t."points_earned", 0)|Poin Earned|poin_earned' "$backup_date")
    from='FROM transaksi t LEFT JOIN user u ON u.id = t.user_id LEFT JOIN member m ON m.id = t.member_id ORDER BY t."tanggal" DESC, t.id DESC'
    export_table transaksi "SELECT $csv $from" "SELECT $json $from"

    { read -r csv; read -r json; } < <(columns 'i."id"|id|id' 'i."transaksi_id"|transaksi_id|transaksi_id' \
        't."kode_transaksi"|kode_transaksi|kode_transaksi' 'i."produk_id"|produk_id|produk_id' 'p."kode"|kode|kode' \
        'p."nama"|nama|nama' 'i."jumlah"|jumlah|jumlah' 'i."harga"|harga|harga' 'i."subtotal"|subtotal|subtotal' "$backup_date")
    from='FROM transaksi_item i LEFT JOIN transaksi t ON t.id = i.transaksi_id LEFT JOIN produk p ON p.id = i.produk_id ORDER BY i.id'
    export_table transaksi_item "SELECT $csv $from" "SELECT $json $from"

    tables=$(sqlite3 "$out/kasir.db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                                      AND name NOT IN ('produk', 'transaksi', 'transaksi_item') ORDER BY rowid")
    for table in $tables; do
        list=$(sqlite3 "$out/kasir.db" "SELECT group_concat('\"' || name || '\"', ', ') FROM pragma_table_info('$table')
                                         WHERE NOT ('$table' = 'user' AND name = 'password_hash')")
        export_table "$table" "SELECT $list FROM \"$table\" ORDER BY rowid" "SELECT $list FROM \"$table\" ORDER BY rowid"
    done
} >"$script"
sqlite3 "$out/kasir.db" <"$script"
rm -f "$script"

sha256sum "$out"/* >"$out.sha256"
