/// What a set archive's file name says: how it is compressed, and whether it is encrypted (age).
public struct ArchiveFormat: Sendable, Hashable {
    /// The ending age gives encrypted files (`set.tar.zst.age`), which stock `age -d` expects.
    public static let encryptedSuffix = ".age"

    /// How the tar inside is compressed.
    public var compression: ArchiveCompression
    /// Whether the file is age-encrypted.
    public var encrypted: Bool

    /// A format.
    public init(compression: ArchiveCompression, encrypted: Bool) {
        self.compression = compression
        self.encrypted = encrypted
    }

    /// Every format, encrypted ones first so the longest ending matches first.
    public static let all: [ArchiveFormat] = [true, false].flatMap { encrypted in
        ArchiveCompression.allCases.map { ArchiveFormat(compression: $0, encrypted: encrypted) }
    }

    /// The file name ending: `.tar.gz`, `.tar.zst.age`, ….
    public var fileExtension: String {
        compression.fileExtension + (encrypted ? Self.encryptedSuffix : "")
    }

    /// The format a file name's ending says, if any.
    public init?(fileName: String) {
        guard let match = Self.all.first(where: { fileName.hasSuffix($0.fileExtension) }) else { return nil }
        self = match
    }
}
