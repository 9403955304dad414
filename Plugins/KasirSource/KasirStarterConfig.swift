import CadangCore
import Foundation

/// The commented config `cadang init` writes: one kasir source, the Excel CSV and JSON sinks, and
/// the jobs `produk`, `transaksi`, `database` and `auto` that mirror the old backup script.
struct KasirStarterConfig {
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
        # \(YAMLText.comment(fileName)) — configuration of Cadang, the backup tool for the kasir app.
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
        repository: \(YAMLText.quoted(repository))

        sources:
          # The kasir app's database. It is copied with SQLite's backup API, so a backup
          # while the shop is open is safe.
          kasir: { plugin: kasir-sqlite, database: \(YAMLText.quoted(database)) }

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
          \(autoJob(schedule: false))
          # To back up by itself every night at 23:00, add  schedule: { at: ["23:00"] }  to the
          # job, i.e. use this line instead of the one above:
          # \(autoJob(schedule: true))
          # then 'sudo cadang schedule install' turns it into a systemd timer (a night the computer
          # was off is caught up when it starts again; 'cadang schedule status' shows the next run).

        """
    }

    /// The `auto` job's line, with the seed shop's nightly schedule or without.
    private func autoJob(schedule: Bool) -> String {
        "auto: { sources: [kasir], sinks: [excel, json\(archive == nil ? "" : ", usb")], policies: [sama, harian]\(schedule ? ", schedule: { at: [\"23:00\"] }" : "") }"
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
        return comment + "\n  usb: { plugin: targz, path: \(YAMLText.quoted(archive))\(mounted), keep_last: 30 }"
    }

    /// Paths where desktop systems and admins mount removable drives.
    static func isRemovableMediaPath(_ path: String) -> Bool {
        ["/media/", "/mnt/", "/run/media/"].contains { path.hasPrefix($0) || path + "/" == $0 }
    }
}

extension KasirSource: StarterConfigProviding {
    public static let starterKey = "kasir"
    public static let starterHelp = "the kasir app's database, e.g. instance/kasir.db (relative to the config file's folder); jobs produk, transaksi, database, auto"

    public static func starterConfig(_ request: StarterRequest) -> String {
        KasirStarterConfig(database: request.value, repository: request.repository, archive: request.archive,
                           fileName: request.fileName).render()
    }

    public static func starterWarnings(_ request: StarterRequest, configFolder folder: URL) -> [String] {
        let kasir = request.value
        let database = URL(fileURLWithPath: (kasir as NSString).expandingTildeInPath, relativeTo: folder).standardizedFileURL
        let config = folder.appendingPathComponent(request.fileName).path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: database.path, isDirectory: &isDirectory) {
            var line = "the kasir database \(database.path) does not exist (yet); fix 'database:' in \(config) before 'cadang run auto'"
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
            if !kasir.hasPrefix("/"), !kasir.hasPrefix("~"), folder.standardizedFileURL.path != cwd.path,
               FileManager.default.fileExists(atPath: cwd.appendingPathComponent(kasir).path) {
                line += " (relative paths in the config start at its folder \(folder.path), not at the current folder)"
            }
            return [line]
        }
        if isDirectory.boolValue {
            return ["the kasir database \(database.path) is a folder, not a database file; fix 'database:' in \(config)"]
        }
        if let handle = FileHandle(forReadingAtPath: database.path) {
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
                return ["\(database.path) is not a SQLite database; fix 'database:' in \(config)"]
            }
        }
        return []
    }
}
