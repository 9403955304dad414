/// libarchive's file type bits (`AE_IFREG` and friends are cast macros Swift does not import).
enum EntryType {
    static let mask: UInt32 = 0o170000
    static let regular: UInt32 = 0o100000
    static let directory: UInt32 = 0o040000
    static let symbolicLink: UInt32 = 0o120000

    /// A name for messages.
    static func describe(_ type: UInt32) -> String {
        switch type {
        case regular: "file"
        case directory: "folder"
        case symbolicLink: "symbolic link"
        case 0o020000: "character device"
        case 0o060000: "block device"
        case 0o010000: "FIFO"
        case 0o140000: "socket"
        default: "entry of type \(String(type, radix: 8))"
        }
    }
}
