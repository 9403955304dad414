import CadangCore
import SQLiteSupport

/// The exports of `../shared/kasir/README.md`: queries written against column names (never
/// positions), so databases that went through the app's old migrations export the same way.
struct KasirExports {
    let database: SQLiteDatabase
    /// The set's time, `YYYY-MM-DD HH:MM:SS` local, for the CSV's "Backup Date" column.
    let backupDate: String

    private static let backupDateColumn = Column("backup_date", title: "Backup Date", kind: .text, audience: .people)

    /// `produk`: ordered by id; Kategori is the category's name or `-`.
    func produk() throws -> SQLiteTableReader {
        let p = try ColumnSet(database, "produk", alias: "p")
        let k = try ColumnSet(database, "kategori", alias: "k")
        let columns = [
            Column("id", title: "ID", kind: .integer), Column("kode", title: "Kode"), Column("nama", title: "Nama"),
            Column("deskripsi", title: "Deskripsi"), Column("harga_beli", title: "Harga Beli", kind: .real),
            Column("harga_jual", title: "Harga Jual", kind: .real), Column("stok", title: "Stok", kind: .integer),
            Column("kategori", title: "Kategori"), Column("minimal_stok", title: "Minimal Stok", kind: .integer),
            Column("satuan", title: "Satuan"), Self.backupDateColumn,
        ]
        let join = k.exists && p.has("kategori_id") ? "LEFT JOIN kategori k ON k.id = p.kategori_id" : ""
        let sql = """
            SELECT \(p["id"]), \(p["kode"]), \(p["nama"]), \(p["deskripsi"]), \(p["harga_beli"]), \(p["harga_jual"]),
                   \(p["stok"]), COALESCE(\(join.isEmpty ? "NULL" : k["nama"]), '-'), \(p["minimal_stok"]), \(p["satuan"])
            FROM produk p \(join)
            ORDER BY p.id
            """
        return try reader("produk", columns, sql)
    }

    /// `transaksi`: newest first; payment method upper-cased for people, as stored for programs;
    /// Kasir is the user's name or `-`; Member the member's name, else `member_manual`, else `-`.
    func transaksi() throws -> SQLiteTableReader {
        let t = try ColumnSet(database, "transaksi", alias: "t")
        let u = try ColumnSet(database, "user", alias: "u")
        let m = try ColumnSet(database, "member", alias: "m")
        let columns = [
            Column("id", title: "ID", kind: .integer), Column("kode_transaksi", title: "Kode Transaksi"),
            Column("tanggal", title: "Tanggal"), Column("subtotal", title: "Subtotal", kind: .real),
            Column("discount_percent", title: "Diskon %", kind: .real), Column("discount_amount", title: "Diskon Rp", kind: .real),
            Column("total", title: "Total", kind: .real), Column("bayar", title: "Bayar", kind: .real),
            Column("kembalian", title: "Kembalian", kind: .real),
            Column("payment_method", title: "payment_method", audience: .programs),
            Column("metode_pembayaran", title: "Metode Pembayaran", audience: .people),
            Column("kasir", title: "Kasir"), Column("member", title: "Member"),
            Column("poin_earned", title: "Poin Earned", kind: .integer), Self.backupDateColumn,
        ]
        let userJoin = u.exists && t.has("user_id") ? "LEFT JOIN user u ON u.id = t.user_id" : ""
        let memberJoin = m.exists && t.has("member_id") ? "LEFT JOIN member m ON m.id = t.member_id" : ""
        let sql = """
            SELECT \(t["id"]), \(t["kode_transaksi"]), \(t["tanggal"]), \(t["subtotal"]), \(t["discount_percent"]),
                   \(t["discount_amount"]), \(t["total"]), \(t["bayar"]), \(t["kembalian"]),
                   \(t["payment_method"]), UPPER(\(t["payment_method"])),
                   COALESCE(\(userJoin.isEmpty ? "NULL" : u["nama"]), '-'),
                   COALESCE(\(memberJoin.isEmpty ? "NULL" : m["nama"]), NULLIF(\(t["member_manual"]), ''), '-'),
                   COALESCE(\(t["points_earned"]), 0)
            FROM transaksi t \(userJoin) \(memberJoin)
            ORDER BY \(t["tanggal"]) DESC, t.id DESC
            """
        return try reader("transaksi", columns, sql)
    }

    /// `transaksi_item`: every sale line with its transaction code and product (empty when gone).
    func transaksiItem() throws -> SQLiteTableReader {
        let i = try ColumnSet(database, "transaksi_item", alias: "i")
        let t = try ColumnSet(database, "transaksi", alias: "t")
        let p = try ColumnSet(database, "produk", alias: "p")
        let columns = [
            Column("id", kind: .integer), Column("transaksi_id", kind: .integer), Column("kode_transaksi"),
            Column("produk_id", kind: .integer), Column("kode"), Column("nama"), Column("jumlah", kind: .integer),
            Column("harga", kind: .real), Column("subtotal", kind: .real), Self.backupDateColumn,
        ]
        let transaksiJoin = t.exists && i.has("transaksi_id") ? "LEFT JOIN transaksi t ON t.id = i.transaksi_id" : ""
        let produkJoin = p.exists && i.has("produk_id") ? "LEFT JOIN produk p ON p.id = i.produk_id" : ""
        let sql = """
            SELECT \(i["id"]), \(i["transaksi_id"]), \(transaksiJoin.isEmpty ? "NULL" : t["kode_transaksi"]), \(i["produk_id"]),
                   \(produkJoin.isEmpty ? "NULL" : p["kode"]), \(produkJoin.isEmpty ? "NULL" : p["nama"]),
                   \(i["jumlah"]), \(i["harga"]), \(i["subtotal"])
            FROM transaksi_item i \(transaksiJoin) \(produkJoin)
            ORDER BY i.id
            """
        return try reader("transaksi_item", columns, sql)
    }

    /// Any other table as stored, in rowid order; never `user.password_hash`.
    func table(_ name: String) throws -> SQLiteTableReader {
        var names = try database.columnNames(of: name)
        if name == "user" { names.removeAll { $0 == "password_hash" } }
        let columns = names.map { Column($0) }
        let list = names.map(quoteIdentifier).joined(separator: ", ")
        let rowid = try database.strings("SELECT COUNT(*) FROM pragma_table_list WHERE name = '\(name.replacingOccurrences(of: "'", with: "''"))' AND wr = 0").first == "1"
        let sql = "SELECT \(list.isEmpty ? "NULL" : list) FROM \(quoteIdentifier(name))" + (rowid ? " ORDER BY rowid" : "")
        let statement = try database.prepare(sql)
        return SQLiteTableReader(schema: TableSchema(name: name, columns: columns.isEmpty ? [Column("_")] : columns), statement: statement)
    }

    private func reader(_ name: String, _ columns: [Column], _ sql: String) throws -> SQLiteTableReader {
        SQLiteTableReader(schema: TableSchema(name: name, columns: columns), statement: try database.prepare(sql),
                          trailingText: backupDate)
    }
}

/// The columns a table really has, so a query can select `NULL` for one a migration never added.
struct ColumnSet {
    let alias: String
    let names: Set<String>

    init(_ database: SQLiteDatabase, _ table: String, alias: String) throws {
        self.alias = alias
        names = Set(try database.columnNames(of: table))
    }

    /// Whether the table exists at all.
    var exists: Bool { !names.isEmpty }

    func has(_ column: String) -> Bool { names.contains(column) }

    /// `alias."column"`, or `NULL` when the table lacks it.
    subscript(_ column: String) -> String {
        names.contains(column) ? "\(alias).\(quoteIdentifier(column))" : "NULL"
    }
}
