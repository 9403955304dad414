/* The xlsx bench's reference: the kasir `transaksi` table's people columns (the query the kasir
 * source runs) written straight with libxlsxwriter in constant-memory mode, with the same header
 * format, frozen row, filter, integer format and column widths as Cadang's xlsx sink, and the same
 * typed cells (numbers as numbers, text as text, NULL as an empty formatted cell). What Cadang adds
 * around the library is what its time takes beyond this program's.
 *
 *   cc -O2 xlsx-reference.c -o xlsx-reference $(pkg-config --cflags --libs xlsxwriter sqlite3)
 *   xlsx-reference kasir.db out.xlsx
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *titles[] = {"ID", "Kode Transaksi", "Tanggal", "Subtotal", "Diskon %", "Diskon Rp", "Total",
                               "Bayar", "Kembalian", "Metode Pembayaran", "Kasir", "Member", "Poin Earned",
                               "Backup Date"};
#define COLUMNS 14

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: xlsx-reference kasir.db out.xlsx\n"); return 2; }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) { fprintf(stderr, "open failed\n"); return 1; }
    const char *sql =
        "SELECT t.id, t.kode_transaksi, t.tanggal, t.subtotal, t.discount_percent, t.discount_amount, t.total, t.bayar,"
        " t.kembalian, UPPER(t.payment_method), COALESCE(u.nama, '-'), COALESCE(m.nama, NULLIF(t.member_manual, ''), '-'),"
        " COALESCE(t.points_earned, 0), '2026-02-08 23:34:49'"
        " FROM transaksi t LEFT JOIN user u ON u.id = t.user_id LEFT JOIN member m ON m.id = t.member_id ORDER BY t.id";
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    char *folder = strdup(argv[2]);
    char *slash = strrchr(folder, '/');
    if (slash) { *slash = 0; options.tmpdir = folder; }
    lxw_workbook *book = workbook_new_opt(argv[2], &options);
    lxw_format *bold = workbook_add_format(book), *integer = workbook_add_format(book), *empty = workbook_add_format(book);
    format_set_bold(bold);
    format_set_num_format(integer, "0");
    lxw_worksheet *sheet = workbook_add_worksheet(book, "transaksi");
    int widths[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) { worksheet_write_string(sheet, 0, c, titles[c], bold); widths[c] = strlen(titles[c]); }
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_row_t row = 1;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < COLUMNS; c++) {
            switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER: worksheet_write_number(sheet, row, c, (double)sqlite3_column_int64(stmt, c), integer); break;
            case SQLITE_FLOAT: worksheet_write_number(sheet, row, c, sqlite3_column_double(stmt, c), NULL); break;
            case SQLITE_NULL: worksheet_write_blank(sheet, row, c, empty); break;
            default: {
                const char *text = (const char *)sqlite3_column_text(stmt, c);
                int n = sqlite3_column_bytes(stmt, c);
                if (n > widths[c]) widths[c] = n;
                if (n == 0) worksheet_write_blank(sheet, row, c, empty); else worksheet_write_string(sheet, row, c, text, NULL);
            }
            }
        }
        row++;
    }
    worksheet_autofilter(sheet, 0, 0, row - 1, COLUMNS - 1);
    for (int c = 0; c < COLUMNS; c++) {
        double w = widths[c] * 1.1 + 2;
        worksheet_set_column(sheet, c, c, w > 60 ? 60 : w, NULL);
    }
    lxw_error error = workbook_close(book);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (error != LXW_NO_ERROR) { fprintf(stderr, "%s\n", lxw_strerror(error)); return 1; }
    printf("%u rows\n", row - 1);
    return 0;
}
