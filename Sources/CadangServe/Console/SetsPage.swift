import CadangCore
import CadangHost
import Foundation

/// The backup sets of every job (kasir included): the newest, its size and files, its last
/// verify, its archive copies and whether their drive is there.
enum SetsPage {
    static func render(_ context: PageContext, jobs: [(name: String, sources: [String])], sets: [SetSummary],
                       checks: [String: SetCheck]) -> HTML {
        let rows = jobs.map { job -> HTML in
            let ofJob = sets.filter { $0.job == job.name }
            guard let newest = ofJob.last else {
                return "<tr><td>\(job.name)</td><td colspan=\"5\">\(Layout.badge(context.t(Words.noSet), tone: .warning))</td></tr>"
            }
            let copies = newest.copies.map { copy -> HTML in
                let present = FileManager.default.fileExists(atPath: URL(fileURLWithPath: copy.path).deletingLastPathComponent().path)
                let exists = FileManager.default.fileExists(atPath: copy.path)
                let tone: BadgeTone = exists ? .good : (present ? .bad : .warning)
                let state = exists ? context.t(Words.present) : context.t(Words.absent)
                return "<div>\(copy.sink): <code>\(copy.path)</code> \(Layout.badge(state, tone: tone))</div>"
            }
            let verify: HTML
            if let check = checks[newest.id] {
                verify = check.problems.isEmpty
                    ? "\(Layout.badge(context.t(Words.verifiedOK), tone: .good)) <small>\(Timestamp.localDateTime(check.checkedAt))</small>"
                    : "\(Layout.badge(context.t(Words.damaged), tone: .bad)) <small>\(check.problems.joined(separator: "; "))</small>"
            } else {
                verify = Layout.badge(context.t(Words.notVerified), tone: .neutral)
            }
            let time = SetsPage.localTime(newest.time)
            return """
                <tr data-job="\(job.name)"><td>\(job.name)<br><small>\(ofJob.count) \(context.t(Words.sets))</small></td>
                <td>\(time)<br><small><code>\(newest.id)</code></small></td><td>\(ByteCount.format(newest.bytes))</td>
                <td>\(newest.artifacts.count)</td><td>\(newest.copies.isEmpty ? HTML("\(context.t(Words.noCopies))") : HTML.joined(copies))</td>
                <td class="verify">\(verify)</td></tr>
                """
        }
        return Layout.page(context.t(Words.backups), context, language: context.language, body: """
            <table id="sets"><thead><tr><th>\(context.t(Words.job))</th><th>\(context.t(Words.newest))</th><th>\(context.t(Words.size))</th>
            <th>\(context.t(Words.files))</th><th>\(context.t(Words.copies))</th><th>\(context.t(Words.verifyResult))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            <form method="post" action="/verify">\(context.csrfField)<button type="submit" id="verify-now">\(context.t(Words.verifyNow))</button></form>
            """)
    }

    /// A manifest's UTC time as the shop's local time.
    static func localTime(_ text: String) -> String {
        guard let date = Timestamp.parse(text) else { return text }
        return Timestamp.localDateTime(date)
    }
}
