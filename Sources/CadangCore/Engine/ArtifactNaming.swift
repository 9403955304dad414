/// Decides artifact paths: `produk.csv` for a job with one source, `kasir.produk.csv` when several
/// sources could collide, and `produk.<sink>.csv` when two sinks of the job write the same extension.
struct ArtifactNaming {
    let qualifyBySource: Bool
    private let qualifiedSinks: Set<String>

    init(job: Job) {
        qualifyBySource = job.sources.count > 1
        var byExtension: [String: Int] = [:]
        for sink in job.sinks { if let ext = sink.component.fileExtension { byExtension[ext, default: 0] += 1 } }
        qualifiedSinks = Set(job.sinks.filter { sink in sink.component.fileExtension.map { byExtension[$0, default: 0] > 1 } ?? false }.map(\.name))
    }

    func tablePath(source: String, dataset: String, sink: String, fileExtension: String) -> String {
        var base = qualifyBySource ? "\(source).\(dataset)" : dataset
        if qualifiedSinks.contains(sink) { base += ".\(sink)" }
        return "\(base).\(fileExtension)"
    }

    func filePath(source: String, fileName: String) -> String {
        qualifyBySource ? "\(source).\(fileName)" : fileName
    }
}
