import Foundation

/// The commented config `cadang init` writes: one kasir source, the Excel CSV and JSON sinks, and
/// the jobs `produk`, `transaksi`, `database` and `auto` that mirror the old backup script.
struct StarterConfig {
    /// The kasir database as the user gave it (relative paths start at the config file's folder).
    var database: String
    /// The repository as the user gave it.
    var repository: String
    /// The archive folder as the user gave it, if any.
    var archive: String?
    /// The config file's name, for the header.
    var fileName: String

    /// The YAML text.
    func render() -> String {
        """
        # \(Self.comment(fileName)) — configuration of Cadang, the backup tool for the kasir app.
        # Written by `cadang init`; edit it freely and check it with `cadang config check`.
        #
        # Commands:
        #   cadang run auto      backup semua: database + CSV (Excel) + JSON of every table
        #   cadang run produk    one job only (also: transaksi, database — see 'jobs:' below)
        #   cadang list          show the backup sets
        #   cadang restore       put a database backup back (asks first, saves the current one)
        #   cadang restore --from-archive FILE   the same from a .tar.gz on a USB drive (computer lost)
        #   cadang verify        re-check every backup set (size, SHA-256, database quick_check)
        #   cadang prune         delete old backups by the 'harian' rule below (alias: cleanup)
        #   cadang menu          numbered menu, like the old backup script
        #
        # Relative paths below start at the folder that holds this file.

        # Where backup sets are kept (often a folder on an external drive).
        repository: \(Self.quoted(repository))

        sources:
          # The kasir app's database. It is copied with SQLite's backup API, so a backup
          # while the shop is open is safe.
          kasir: { plugin: kasir-sqlite, database: \(Self.quoted(database)) }

        sinks:
          # CSV files for Excel (barcodes stay text, formulas typed by cashiers are not run).
          excel: { plugin: csv, excel: true }
          # JSON files, for other programs.
          json: { plugin: json }
        \(usbSink)

        policies:
          # How many old backups each job keeps (restic's rules): the 10 newest, plus the newest of
          # each of the last 7 days, 4 weeks and 12 months. Applied after every successful run;
          # 'cadang prune --dry-run' shows what it keeps and why.
          harian: { plugin: retention, keep_last: 10, keep_daily: 7, keep_weekly: 4, keep_monthly: 12 }
          # No new backup while the database is exactly as in the job's last one (a scheduled
          # 'auto' on a closed shop). 'cadang run auto --force' makes one anyway.
          sama: { plugin: duplicate, mode: skip-unchanged }

        jobs:
          # cadang run produk — backup produk (CSV + JSON)
          produk: { sources: [kasir.produk], sinks: [excel, json], policies: [harian] }
          # cadang run transaksi — backup transaksi dan item transaksi (CSV + JSON)
          transaksi: { sources: [kasir.transaksi, kasir.transaksi_item], sinks: [excel, json], policies: [harian] }
          # cadang run database — backup database lengkap (file kasir.db saja)
          database: { sources: [kasir.database], policies: [harian] }
          # cadang run auto — backup semua: database + CSV + JSON semua tabel (DIREKOMENDASIKAN)
          auto: { sources: [kasir], sinks: [excel, json\(archive == nil ? "" : ", usb")], policies: [sama, harian] }

        """
    }

    /// The `usb` sink: active with `--archive`, else a commented example.
    private var usbSink: String {
        let comment = """
              # A checked .tar.gz of every 'auto' backup in its own folder, typically on a USB drive,
              # keeping the newest 30 there. With require_mount the run refuses (exit 75, "drive not
              # mounted") while the drive is absent, instead of filling the system disk.
            """
        guard let archive else {
            return comment + "\n  # usb: { plugin: targz, path: /media/usb/kasir-archive, require_mount: true, keep_last: 30 }"
        }
        let mounted = Self.isRemovableMediaPath(archive) ? ", require_mount: true" : ""
        return comment + "\n  usb: { plugin: targz, path: \(Self.quoted(archive))\(mounted), keep_last: 30 }"
    }

    /// Paths where desktop systems and admins mount removable drives.
    static func isRemovableMediaPath(_ path: String) -> Bool {
        ["/media/", "/mnt/", "/run/media/"].contains { path.hasPrefix($0) || path + "/" == $0 }
    }

    /// A YAML double-quoted scalar that reads back as exactly `text` through the config loader:
    /// `\` and `"` escaped, control and line-separator characters as `\u` escapes, and every `$`
    /// doubled, because the loader expands `${VAR}` and reads `$$` as one `$`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "$": out += "$$"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
                    || value == 0x2028 || value == 0x2029 || value == 0xFEFF {
                    out += String(format: "\\u%04X", value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text safe inside a one-line `#` comment.
    static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF ? "?" : scalar
        }))
    }
}
