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

    /// The language of the comments.
    var language: Language = .english

    /// The YAML text.
    func render() -> String {
        """
        \(header)
        # \(say("Relative paths below start at the folder that holds this file.",
                "Path relatif di bawah dihitung dari folder tempat file ini berada."))

        # \(say("Where backup sets are kept (often a folder on an external drive).",
                "Tempat backup disimpan (sering folder di harddisk eksternal)."))
        repository: \(YAMLText.quoted(repository))

        sources:
          \(say("""
            # The kasir app's database. It is copied with SQLite's backup API, so a backup
              # while the shop is open is safe.
            """, """
            # Database aplikasi kasir. Disalin dengan backup API milik SQLite, jadi backup
              # saat toko buka (sedang ada penjualan) tetap aman.
            """))
          kasir: { plugin: kasir-sqlite, database: \(YAMLText.quoted(database)) }

        sinks:
          # \(say("CSV files for Excel (barcodes stay text, formulas typed by cashiers are not run).",
                  "File CSV untuk Excel (barcode tetap teks, rumus yang diketik kasir tidak dijalankan)."))
          excel: { plugin: csv, excel: true }
          # \(say("Or real Excel workbooks (.xlsx): typed cells, a bold frozen header with filters. Slower than CSV;",
                  "Atau file Excel asli (.xlsx): angka tetap angka, judul kolom tebal dengan filter. Lebih lambat dari CSV;"))
          # \(say("add 'xlsx' to a job's sinks to use it (see the user guide, 'CSV or xlsx').",
                  "tambahkan 'xlsx' ke sinks sebuah job untuk memakainya (lihat panduan, 'CSV atau xlsx')."))
          # xlsx: { plugin: xlsx }
          # \(say("JSON files, for other programs.", "File JSON, untuk program lain."))
          json: { plugin: json }
        \(usbSink)

        policies:
          \(say("""
            # How many old backups each job keeps (restic's rules): the 10 newest, plus the newest of
              # each of the last 7 days, 4 weeks and 12 months. Applied after every successful run;
              # 'cadang prune --dry-run' shows what it keeps and why.
            """, """
            # Berapa banyak backup lama yang disimpan tiap job: 10 yang terbaru, ditambah yang terbaru
              # dari tiap 7 hari, 4 minggu dan 12 bulan terakhir. Dijalankan setelah tiap backup yang
              # berhasil; 'cadang prune --dry-run' menunjukkan apa yang disimpan dan alasannya.
            """))
          harian: { plugin: retention, keep_last: 10, keep_daily: 7, keep_weekly: 4, keep_monthly: 12 }
          \(say("""
            # No new backup while the database is exactly as in the job's last one (a scheduled
              # 'auto' on a closed shop). 'cadang run auto --force' makes one anyway.
            """, """
            # Tidak membuat backup baru selama database sama persis dengan backup terakhir job itu
              # (misalnya 'auto' terjadwal saat toko tutup). 'cadang run auto --force' tetap membuatnya.
            """))
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
          \(say("""
            # To back up by itself every night at 23:00, add  schedule: { at: ["23:00"] }  to the
              # job, i.e. use this line instead of the one above:
            """, """
            # Agar backup berjalan sendiri tiap malam jam 23:00, tambahkan  schedule: { at: ["23:00"] }
              # pada job itu, yaitu pakai baris ini sebagai ganti baris di atas:
            """))
          # \(autoJob(schedule: true))
          \(say("""
            # then 'sudo cadang schedule install' turns it into a systemd timer (a night the computer
              # was off is caught up when it starts again; 'cadang schedule status' shows the next run).
            """, """
            # lalu 'sudo cadang schedule install' menjadikannya timer systemd (malam saat komputer mati
              # dikejar begitu komputer menyala lagi; 'cadang schedule status' menunjukkan jadwal berikutnya).
            """))

        """
    }

    /// The header: what the file is and the commands.
    private var header: String {
        let name = YAMLText.comment(fileName)
        return say("""
            # \(name) — configuration of Cadang, the backup tool for the kasir app.
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
            """, """
            # \(name) — konfigurasi Cadang, alat backup untuk aplikasi kasir.
            # Ditulis oleh `cadang init`; boleh diubah, lalu periksa dengan `cadang config check`.
            #
            # Perintah:
            #   cadang run auto      backup semua: database + CSV (Excel) + JSON semua tabel
            #   cadang run produk    satu job saja (juga: transaksi, database — lihat 'jobs:' di bawah)
            #   cadang list          lihat daftar backup
            #   cadang restore       kembalikan database dari backup (bertanya dulu, menyimpan yang sekarang)
            #   cadang restore --from-archive FILE   sama, dari .tar.gz di flashdisk (komputer hilang/rusak)
            #   cadang verify        periksa ulang semua backup (ukuran, SHA-256, quick_check database)
            #   cadang prune         hapus backup lama menurut aturan 'harian' di bawah (nama lain: cleanup)
            #   cadang menu          menu bernomor, seperti skrip backup yang lama
            #
            """)
    }

    private func say(_ english: String, _ indonesian: String) -> String {
        language.pick(english, indonesian)
    }

    /// The `auto` job's line, with the seed shop's nightly schedule or without.
    private func autoJob(schedule: Bool) -> String {
        "auto: { sources: [kasir], sinks: [excel, json\(archive == nil ? "" : ", usb")], policies: [sama, harian]\(schedule ? ", schedule: { at: [\"23:00\"] }" : "") }"
    }

    /// The `usb` sink: active with `--archive`, else a commented example.
    private var usbSink: String {
        let comment = say("""
              # A checked .tar.gz of every 'auto' backup in its own folder, typically on a USB drive,
              # keeping the newest 30 there. With require_mount the run refuses (exit 75, "drive not
              # mounted") while the drive is absent, instead of filling the system disk.
            """, """
              # Arsip .tar.gz yang sudah diperiksa dari tiap backup 'auto', di foldernya sendiri, biasanya
              # di flashdisk; 30 yang terbaru disimpan di sana. Dengan require_mount, backup menolak (kode 75,
              # "drive not mounted") selama flashdisk tidak terpasang, daripada memenuhi disk sistem.
            """)
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
                           fileName: request.fileName, language: request.language).render()
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
