import CadangCore
import Foundation

/// Reads the inbox — files, and the files of folders (not their subfolders), in name order — into
/// the order store, a batch of orders per transaction; a file is decoded on a thread of its own
/// (`DecodingThread`) while the store's thread writes.
///
/// Files are only read. One whose size, modification time and inode are those recorded when it was
/// last read is not parsed again; a file is recorded in the transaction of its last batch, so an
/// interrupted ingest reads it again and finds what it had already stored `unchanged`.
struct InboxIngest {
    /// Orders per batch of statements: a batch's orders, lines and payments stay a few MB.
    static let batchSize = 500
    /// Orders per transaction: few commits (an fsync each) per file, yet a `cadang serve` ingest
    /// waiting for the lock waits a few seconds at most.
    static let transactionSize = 20_000

    var inbox: [URL]
    var maxItemBytes: Int
    var actor: String

    /// The payload files the inbox names now, each once, in a stable order.
    func files() throws -> [URL] {
        var result: [URL] = []
        var seen = Set<String>()
        for entry in inbox {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isFolder) else {
                throw CadangError(.unavailable, "inbox \(entry.path) does not exist", fix: "check the source's inbox option (is the share mounted?)")
            }
            let candidates: [URL]
            if isFolder.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: entry.path).sorted()
                candidates = names.filter { !$0.hasPrefix(".") }.map { entry.appendingPathComponent($0) }
            } else {
                candidates = [entry]
            }
            for file in candidates {
                var folder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &folder), !folder.boolValue else { continue }
                if seen.insert(file.standardizedFileURL.path).inserted { result.append(file) }
            }
        }
        return result
    }

    /// Ingests every new or changed file into `store`.
    func run(into store: OrderStore) throws -> IngestReport {
        var report = IngestReport()
        for file in try files() {
            guard let stamp = Self.stamp(file) else {
                report.rejected.append(.init(file: file.path, item: nil, reason: "it cannot be read"))
                continue
            }
            if try store.isIngested(stamp) {
                report.skippedFiles += 1
                continue
            }
            try ingest(file, stamp: stamp, into: store, report: &report)
        }
        return report
    }

    private func ingest(_ file: URL, stamp: FileStamp, into store: OrderStore, report: inout IngestReport) throws {
        let decoding = DecodingThread(file: file, maxItemBytes: maxItemBytes, batchSize: Self.batchSize)
        defer { decoding.finish() }
        let progress = Progress.step("ingest \(file.lastPathComponent)", total: nil, unit: .items)
        defer { progress.finish() }
        var pending = decoding.next()
        while let first = pending {
            // Batches join one transaction of up to `transactionSize` orders; the file's last one
            // also records the file, so a crash anywhere re-reads it and nothing counts twice.
            pending = nil
            try store.database.write {
                var batch: DecodingThread.Batch? = first
                var inTransaction = 0
                while let current = batch {
                    if !current.records.isEmpty || current.isLast {
                        let statuses = try store.ingest(current.records, origins: current.origins, actor: actor,
                                                        file: current.isLast ? stamp : nil)
                        for status in statuses { report.count(status) }
                    }
                    report.read += current.read
                    progress.advance(by: Int64(current.read))
                    report.rejected += current.rejected
                    if let failure = current.readError { report.rejected.append(failure) }
                    guard !current.ends else { return }
                    inTransaction += current.records.count
                    if inTransaction >= Self.transactionSize {
                        pending = decoding.next()
                        return
                    }
                    batch = decoding.next()
                }
            }
        }
    }

    /// The file's size, modification time and inode, or nil when it cannot be examined.
    static func stamp(_ file: URL) -> FileStamp? {
        var info = stat()
        guard stat(file.path, &info) == 0 else { return nil }
        let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileStamp(path: file.standardizedFileURL.path, size: Int64(info.st_size), modifiedNanoseconds: nanoseconds,
                         inode: Int64(bitPattern: UInt64(info.st_ino)))
    }
}
