/// The default words monitors send, in Bahasa Indonesia: the people who read these alerts are the
/// shop's owners and staff.
extension JobEvent {
    /// A short title, e.g. "Cadang: cadangan 'auto' gagal".
    public var title: String {
        switch (moment, state) {
        case (.started, _): "Cadang: cadangan '\(job)' dimulai"
        case (_, .success?): "Cadang: cadangan '\(job)' berhasil"
        case (_, .partial?): "Cadang: cadangan '\(job)' selesai dengan peringatan"
        case (_, .skipped?): "Cadang: cadangan '\(job)' dilewati"
        case (_, .fail?), (_, nil): "Cadang: cadangan '\(job)' GAGAL"
        }
    }

    /// A few lines for a person: what happened, where, and what to do.
    public var message: String {
        var lines: [String] = []
        switch (moment, state) {
        case (.started, _): lines.append("Cadangan '\(job)' di \(host) sedang berjalan.")
        case (_, .success?): lines.append("Cadangan '\(job)' di \(host) berhasil" + (setID.map { " (set \($0))." } ?? "."))
        case (_, .partial?): lines.append("Cadangan '\(job)' di \(host) tersimpan, tetapi ada yang terlewat. Periksa log-nya.")
        case (_, .skipped?): lines.append("Cadangan '\(job)' di \(host) tidak dibuat (tidak ada perubahan, atau drive tidak terpasang).")
        case (_, .fail?), (_, nil): lines.append("Cadangan '\(job)' di \(host) GAGAL (kode keluar \(exitCode ?? 1)). Periksa komputer toko.")
        }
        if let error { lines.append(error) }
        return lines.joined(separator: "\n")
    }
}
