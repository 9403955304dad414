import CadangCore
import Foundation

/// Every line the menu itself says, in the locale's language (`Language.ofLocale`): fully in
/// Bahasa Indonesia for `LANG=id_ID…`, and otherwise in English with an Indonesian hint in
/// brackets, as the menu has always read. What the actions run from it print is theirs.
struct MenuText {
    let language: Language

    private var indonesian: Bool { language == .indonesian }

    var title: String { indonesian ? "Cadang — menu backup" : "Cadang — backup menu (menu backup)" }
    var configLabel: String { indonesian ? "  konfigurasi: " : "  config:     " }
    var repositoryLabel: String { indonesian ? "  repositori:  " : "  repository: " }

    func choose(_ range: String) -> String {
        indonesian ? "Pilih nomor \(range): " : "Choose \(range) (pilih nomor \(range)): "
    }

    var bye: String { indonesian ? "Sampai jumpa." : "Bye (sampai jumpa)." }
    var endOfInput: String { indonesian ? "Input selesai: keluar." : "End of input: quitting (selesai)." }

    func running(_ job: String) -> String {
        indonesian ? "Menjalankan backup \(job) …" : "Running job \(job) … (menjalankan backup \(job))"
    }

    var verifying: String { indonesian ? "Memeriksa semua backup …" : "Verifying every backup set … (memeriksa semua backup)" }
    var confirmPrune: String {
        indonesian ? "Hapus backup yang bertanda 'remove' di atas? [y/T] (y = ya) " : "Delete the sets marked 'remove' above? [y/N] (hapus? y = ya) "
    }
    var nothingDeleted: String { indonesian ? "Tidak ada yang dihapus." : "Nothing deleted (tidak ada yang dihapus)" }

    /// A job's entry: its `description` if the config gives one.
    func job(_ name: String, description: String?, recommended: Bool) -> String {
        let what = description ?? "Backup \(name)"
        if indonesian { return "\(what) (job \(name))" + (recommended ? " — direkomendasikan" : "") }
        return "\(what) (run job \(name))" + (recommended ? " — recommended (direkomendasikan)" : "")
    }

    var list: String { indonesian ? "Lihat daftar backup" : "List backups (lihat daftar backup)" }
    var verify: String { indonesian ? "Periksa backup" : "Verify backups (periksa backup)" }
    var prune: String { indonesian ? "Hapus backup lama menurut aturan penyimpanan" : "Delete old backups by the retention rules (hapus backup lama)" }
    var quit: String { indonesian ? "Keluar" : "Quit (keluar)" }

    func invalid(_ shown: String?, range: String) -> String {
        if indonesian {
            let what = shown.map { "'\($0)' bukan pilihan" } ?? "Belum ada yang dipilih"
            return "\(what): ketik nomor \(range) lalu tekan Enter."
        }
        let what = shown.map { "'\($0)' is not a choice" } ?? "Nothing chosen"
        return "\(what): type a number \(range) and press Enter (ketik nomor \(range) lalu Enter)."
    }

    /// The line after an action that did not succeed; its error is already on standard error.
    func outcome(_ status: ExitStatus) -> String {
        let words: String
        switch status {
        case .success: words = indonesian ? "selesai" : "done (selesai)"
        case .failure: words = indonesian ? "GAGAL" : "FAILED (gagal)"
        case .usage: words = indonesian ? "GAGAL: masalah perintah atau konfigurasi" : "FAILED: usage or config problem (gagal: masalah perintah atau konfigurasi)"
        case .partial: words = indonesian ? "selesai dengan peringatan" : "done with warnings (selesai dengan peringatan)"
        case .damaged: words = indonesian ? "ADA BACKUP YANG RUSAK" : "DAMAGE FOUND (ada backup yang rusak)"
        case .locked: words = indonesian ? "TIDAK DIJALANKAN: repositori sedang dipakai backup lain; coba lagi sebentar lagi"
                                         : "NOT DONE: another backup is using the repository (repositori sedang dipakai)"
        case .unavailable: words = indonesian ? "TIDAK DIJALANKAN: tujuan backup tidak tersedia (flashdisk belum dipasang?)"
                                              : "NOT DONE: the destination is not available (tujuan tidak tersedia)"
        }
        return indonesian ? "→ \(words), kode keluar \(status.rawValue)" : "→ \(words), exit status \(status.rawValue)"
    }

    // MARK: Restore

    func noSnapshot(repository: String, dataset: String) -> String {
        indonesian ? "Belum ada backup \(dataset) di \(repository): jalankan backup dulu."
                   : "No backup in \(repository) holds a \(dataset) snapshot yet: run a backup first (belum ada backup database)."
    }

    func restoreWhich(_ target: String) -> String {
        indonesian ? "Pulihkan \(target) dari backup yang mana? Terbaru di atas:"
                   : "Restore \(target) from which backup? Newest first (pilih backup, terbaru di atas):"
    }

    var back: String { indonesian ? "0) kembali" : "0) back (kembali)" }
    var nothingRestored: String { indonesian ? "Tidak ada yang dipulihkan." : "Nothing restored (tidak ada yang dipulihkan)." }
    var confirmRestore: String { indonesian ? "Pulihkan sekarang? [y/T] (y = ya) " : "Restore now? [y/N] (pulihkan sekarang? y = ya) " }
    var notRestored: String { indonesian ? "Tidak dipulihkan." : "Not restored (tidak dipulihkan)." }

    /// What the restore will do. English: the plan as `cadang restore --dry-run` prints it;
    /// Indonesian: the same facts in plain words.
    func plan(_ plan: RestorePlan) -> String {
        guard indonesian else { return plan.description }
        let file = plan.target.lastPathComponent
        var lines = ["Yang akan dilakukan:",
                     "  \(plan.target.path) diganti dengan isi backup \(Timestamp.localDateTime(plan.set.time))"
                        + " (job \(plan.set.job), set \(plan.set.id), \(ByteCount.format(plan.artifact.bytes))).",]
        if plan.filesToSave.isEmpty {
            lines.append("  \(file) belum ada, jadi tidak ada yang perlu disimpan dulu.")
        } else {
            lines.append("  Sebelumnya, file yang sekarang disimpan dulu sebagai backup '\(Restorer.beforeRestoreJob)': "
                + plan.filesToSave.map(\.lastPathComponent).joined(separator: ", ")
                + " — jadi bisa dikembalikan lagi kalau salah pilih.")
        }
        let holders = plan.holders.holders
        switch plan.approach {
        case .inPlace:
            if !holders.isEmpty {
                lines.append("  \(file) sedang dibuka oleh \(plan.holders.names()): aplikasi itu langsung melihat data yang dipulihkan dan tetap jalan.")
            }
        case .rename:
            if !holders.isEmpty {
                lines.append("  DITOLAK: \(file) sedang dibuka oleh \(plan.holders.names()). Tutup aplikasi kasir dulu, lalu pilih pulihkan lagi.")
            }
        }
        if plan.holders.uninspectedNote != nil {
            lines.append("  (sebagian program milik pengguna lain tidak bisa diperiksa; jalankan sebagai root untuk melihatnya)")
        }
        return lines.joined(separator: "\n")
    }
}
