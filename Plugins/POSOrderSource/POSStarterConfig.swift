import CadangCore
import Foundation

/// The commented config `cadang init --pos INBOX [--odoo URL]` writes for an Odoo shop: one
/// `pos-orders` source, the JSON and CSV sinks, the 30-day policy `bersih` and the job `pos`.
struct POSStarterConfig {
    /// The inbox as the user gave it (relative paths start at the config file's folder).
    var inbox: String
    /// The repository as the user gave it.
    var repository: String
    /// The archive folder as the user gave it, if any.
    var archive: String?
    /// `--odoo`: Odoo's address, if given.
    var odoo: String?
    /// The shop's time zone name.
    var timeZone: String
    /// The config file's name, for the header.
    var fileName: String
    /// The language of the comments.
    var language: Language = .english

    /// The placeholder login written with `--odoo`.
    static let userPlaceholder = "cadang@example.com"

    /// The YAML text.
    func render() -> String {
        """
        \(header)

        # \(say("Where backup sets are kept; the order store is in its state/pos/ folder.",
                "Tempat backup disimpan; penyimpanan order ada di foldernya state/pos/."))
        repository: \(YAMLText.quoted(repository))

        sources:
          pos:
            plugin: pos-orders
            \(say("""
              # Files or folders of payloads: the module's backups exported as files, JSON Lines from
                  # the tills. They are only read; an unchanged file is not parsed again.
              """, """
              # File atau folder berisi payload: backup modul yang diekspor sebagai file, JSON Lines dari
                  # mesin kasir. Hanya dibaca; file yang tidak berubah tidak dibaca ulang.
              """))
            inbox: [\(YAMLText.quoted(inbox))]
            # \(say("The shop's time zone: order days (stats, retention) start at its midnight.",
                    "Zona waktu toko: hari order (statistik, penyimpanan) dimulai tengah malam di zona ini."))
            timezone: \(YAMLText.quoted(timeZone))
            \(say("""
              # The order store is SQLite in the repository. For a PostgreSQL database instead (roles and
                  # GRANTs in Docs/pos.md; the role from PGUSER, the password from PGPASSWORD or ~/.pgpass):
              """, """
              # Penyimpanan order berupa SQLite di repositori. Untuk database PostgreSQL (role dan GRANT
                  # di Docs/pos.md; role dari PGUSER, kata sandi dari PGPASSWORD atau ~/.pgpass):
              """))
            # store: postgresql:///posbackup
        \(odooGroup)

        sinks:
          # \(say("JSON and CSV files of every dataset, for other programs and for Excel.",
                  "File JSON dan CSV dari tiap dataset, untuk program lain dan untuk Excel."))
          json: { plugin: json }
          csv: { plugin: csv }\(usbSink)

        policies:
          \(say("""
            # Sets: the newest of each of the last 30 days. Orders: those Odoo has (verified, imported,
              # duplicate) whose order date is more than 30 days ago ('cadang prune pos'; never under 7 days).
            """, """
            # Set: yang terbaru dari tiap 30 hari terakhir. Order: yang sudah ada di Odoo (verified, imported,
              # duplicate) dengan tanggal order lebih dari 30 hari lalu ('cadang prune pos'; tidak pernah di bawah 7 hari).
            """))
          bersih: { plugin: retention, keep_daily: 30, records: { older_than: 30d, states: [verified, imported, duplicate] } }

        jobs:
          # \(say("cadang run pos — ingest the inbox and write a set of the order store",
                  "cadang run pos — baca inbox dan tulis satu set dari penyimpanan order"))
          pos: { sources: [pos], sinks: [json, csv\(archive == nil ? "" : ", usb")], policies: [bersih] }

        """
    }

    /// The header: what the file is and the commands.
    private var header: String {
        let name = YAMLText.comment(fileName)
        let lookUp = odoo == nil ? "" : say(", look it up in Odoo,", ", mencocokkannya dengan Odoo,")
        return say("""
            # \(name) — configuration of Cadang for an Odoo point of sale (source 'pos').
            # Written by `cadang init --pos`; edit it freely and check it with `cadang config check`.
            #
            # Commands:
            #   cadang run pos       read what is new in the inbox into the order store\(lookUp)
            #                        and write a backup set of it (orders, order_lines, payments, events, store)
            #   cadang verify pos    re-check the sets, then look every order not yet found up in Odoo
            #   cadang stats pos     orders by state, success rate, missing ones (--json, --html FILE)
            #   cadang restore pos   import the orders Odoo lacks, each once (try --dry-run first)
            #   cadang prune pos     old sets and old settled orders by the 'bersih' rule (try --dry-run first)
            #   cadang list          show the backup sets
            #
            # Relative paths below start at the folder that holds this file. See Docs/pos.md.
            """, """
            # \(name) — konfigurasi Cadang untuk point of sale Odoo (source 'pos').
            # Ditulis oleh `cadang init --pos`; boleh diubah, lalu periksa dengan `cadang config check`.
            #
            # Perintah:
            #   cadang run pos       baca yang baru di inbox ke penyimpanan order\(lookUp)
            #                        lalu tulis satu set backup (orders, order_lines, payments, events, store)
            #   cadang verify pos    periksa ulang set, lalu cari di Odoo setiap order yang belum ditemukan
            #   cadang stats pos     order per status, tingkat keberhasilan, order yang hilang (--json, --html FILE)
            #   cadang restore pos   impor order yang tidak ada di Odoo, masing-masing sekali (coba --dry-run dulu)
            #   cadang prune pos     hapus set lama dan order lama yang sudah beres menurut aturan 'bersih' (coba --dry-run dulu)
            #   cadang list          lihat daftar set backup
            #
            # Path relatif di bawah dihitung dari folder tempat file ini berada. Lihat Docs/pos.md.
            """)
    }

    private func say(_ english: String, _ indonesian: String) -> String {
        language.pick(english, indonesian)
    }

    /// The `odoo:` group with `--odoo`, else a commented example.
    private var odooGroup: String {
        guard let odoo else {
            return """
                    # \(say("Odoo's server, for verify and import: 'cadang init --pos INBOX --odoo URL' writes it.",
                            "Server Odoo, untuk verify dan import: 'cadang init --pos INBOX --odoo URL' menuliskannya."))
                    # odoo: { url: http://127.0.0.1:8069, database: odoo, user: \(Self.userPlaceholder), api_key: ${ODOO_API_KEY} }
                """
        }
        return """
                \(say("""
                  # Odoo's server, for verify and import. The user needs point-of-sale rights (verify: read on pos.order);
                      # its API key comes from the environment variable ODOO_API_KEY, never from this file.
                  """, """
                  # Server Odoo, untuk verify dan import. Penggunanya perlu hak point of sale (verify: baca pos.order);
                      # API key-nya dari variabel lingkungan ODOO_API_KEY, tidak pernah dari file ini.
                  """))
                odoo:
                  url: \(YAMLText.quoted(odoo))
                  database: odoo
                  user: \(Self.userPlaceholder)    # \(say("change to the Odoo login whose API key ODOO_API_KEY holds",
                                                      "ganti dengan login Odoo pemilik API key di ODOO_API_KEY"))
                  api_key: ${ODOO_API_KEY}
            """
    }

    /// The `usb` sink with `--archive`, else nothing.
    private var usbSink: String {
        guard let archive else { return "" }
        let removable = ["/media/", "/mnt/", "/run/media/"].contains { archive.hasPrefix($0) || archive + "/" == $0 }
        return "\n" + """
              # \(say("A checked .tar.gz of every 'pos' set in its own folder, keeping the newest 30 there.",
                      "Arsip .tar.gz yang sudah diperiksa dari tiap set 'pos' di foldernya sendiri; 30 yang terbaru disimpan."))
              usb: { plugin: targz, path: \(YAMLText.quoted(archive))\(removable ? ", require_mount: true" : ""), keep_last: 30 }
            """
    }

    /// The computer's time zone, when it has a name Foundation knows again; else UTC.
    static var localZone: (name: String, known: Bool) {
        let name = TimeZone.current.identifier
        return TimeZone(identifier: name) == nil ? ("UTC", false) : (name, true)
    }
}

extension POSOrderSource: StarterConfigProviding {
    public static let starterKey = "pos"
    public static let starterHelp = "an Odoo point of sale: the folder (or file) of order payloads from the tills; job pos"
    public static let starterOptions = [
        StarterOption("odoo", valueName: "URL", help: "with --pos: Odoo's address, e.g. http://127.0.0.1:8069 (adds the odoo: group for verify)"),
    ]
    public static let starterJob = "pos"

    public static func starterConfig(_ request: StarterRequest) -> String {
        POSStarterConfig(inbox: request.value, repository: request.repository, archive: request.archive,
                         odoo: request.options["odoo"], timeZone: POSStarterConfig.localZone.name, fileName: request.fileName,
                         language: request.language).render()
    }

    public static func starterWarnings(_ request: StarterRequest, configFolder folder: URL) -> [String] {
        let config = folder.appendingPathComponent(request.fileName).path
        var warnings: [String] = []
        let inbox = URL(fileURLWithPath: (request.value as NSString).expandingTildeInPath, relativeTo: folder).standardizedFileURL
        if !FileManager.default.fileExists(atPath: inbox.path) {
            warnings.append("the inbox \(inbox.path) does not exist (yet); create it or fix 'inbox:' in \(config) — 'cadang run pos' exits 75 until it exists")
        }
        if !POSStarterConfig.localZone.known {
            warnings.append("this computer's time zone has no name; wrote timezone: UTC — set the shop's zone (e.g. Asia/Jakarta) in \(config)")
        }
        if let odoo = request.options["odoo"] {
            if !(odoo.hasPrefix("http://") || odoo.hasPrefix("https://")) {
                warnings.append("--odoo \(odoo) is not an http:// or https:// address; fix 'url:' in \(config)")
            }
            warnings.append("set 'user:' in the odoo group of \(config) to the Odoo login whose API key ODOO_API_KEY holds (it is \(POSStarterConfig.userPlaceholder) now)")
        }
        return warnings
    }
}
