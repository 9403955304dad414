import Synchronization

/// A fault that a test build injects into the archive writer, to prove that the writer's checks
/// catch it: each one, left undetected, would put a damaged archive under its final name. The
/// shipped `cadang` never injects one; the unit tests and the test tree's `cadang-harness` do.
public enum ArchiveFault: String, Sendable, CaseIterable {
    /// A byte of the first compressed block flips after compression, before it is hashed and
    /// written (a compressor or memory fault).
    case compressedByte = "compressed-byte"
    /// gzip: the first member is a valid gzip stream of other bytes (a compressor that loses data
    /// without breaking its own format).
    case wrongMember = "wrong-member"
    /// A byte of the first non-empty set file flips after it was read, before libarchive frames
    /// it (a memory fault on the way in, or a file that changed).
    case inputByte = "input-byte"
    /// A byte of the archive flips on the drive after fsync, before the file is re-read.
    case driveByte = "drive-byte"

    private static let injected = Mutex<ArchiveFault?>(nil)

    /// Makes every archive written from now on suffer `fault` (nil: none).
    public static func inject(_ fault: ArchiveFault?) {
        injected.withLock { $0 = fault }
    }

    /// The fault to inject into an archive starting now.
    static var current: ArchiveFault? {
        injected.withLock { $0 }
    }
}
