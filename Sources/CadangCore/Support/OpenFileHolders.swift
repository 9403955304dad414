import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process that has a file open.
public struct OpenFileHolder: Sendable, Hashable, CustomStringConvertible {
    /// Its process id.
    public var pid: Int32
    /// Its command name (`/proc/PID/comm`), e.g. `python3`.
    public var name: String

    /// Creates a holder.
    public init(pid: Int32, name: String) {
        self.pid = pid
        self.name = name
    }

    /// `python3 (PID 4242)`.
    public var description: String { "\(name) (PID \(pid))" }
}

/// Which other processes have a file open, read from `/proc/*/fd` (Linux). A lock tells only who
/// is in a transaction right now; an app's idle pooled connections hold the file open without any
/// lock, and they are exactly the ones a rename would leave on the deleted file.
public enum OpenFileHolders {
    /// What one look at `/proc` found.
    public struct Scan: Sendable {
        /// The processes that have the file open, by PID; this process is never one of them.
        public var holders: [OpenFileHolder]
        /// Processes whose open files could not be read (another user's, without root): they
        /// might hold the file too.
        public var uninspected: Int

        /// Creates a scan result.
        public init(holders: [OpenFileHolder], uninspected: Int) {
            self.holders = holders
            self.uninspected = uninspected
        }

        /// Nothing found and nothing hidden.
        public static let none = Scan(holders: [], uninspected: 0)

        /// `python3 (PID 4242), gunicorn (PID 4250)`, at most `limit` named.
        public func names(limit: Int = 5) -> String {
            let shown = holders.prefix(limit).map(\.description).joined(separator: ", ")
            return holders.count > limit ? "\(shown) and \(holders.count - limit) more" : shown
        }

        /// A clause for output when some processes could not be looked at, else nil.
        public var uninspectedNote: String? {
            guard uninspected > 0 else { return nil }
            return "\(uninspected) process(es) of other users could not be checked; run as root (or as the app's user) to see them"
        }
    }

    /// The other processes that have `url` open. The file is matched by device and inode, so a
    /// path given through a link or another mount point still matches. Nothing is opened: only
    /// `stat` of `/proc/PID/fd/N`, so a lock this process holds on the file is never disturbed
    /// (closing any descriptor of a file drops all of a process's POSIX locks on it).
    public static func scan(_ url: URL, proc: String = "/proc") -> Scan {
        var target = stat()
        guard stat(url.path, &target) == 0 else { return .none }
        let me = getpid()
        var holders: [OpenFileHolder] = []
        var uninspected = 0
        for entry in FileSystem.contents(of: URL(fileURLWithPath: proc)) {
            guard let pid = Int32(entry), pid != me else { continue }
            let folder = "\(proc)/\(entry)/fd"
            guard let directory = opendir(folder) else {
                // ENOENT: the process ended meanwhile; EACCES: someone else's process.
                if errno == EACCES || errno == EPERM { uninspected += 1 }
                continue
            }
            defer { closedir(directory) }
            while let item = readdir(directory) {
                let name = withUnsafePointer(to: &item.pointee.d_name) {
                    String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                guard name != ".", name != ".." else { continue }
                var opened = stat()
                if stat("\(folder)/\(name)", &opened) == 0, opened.st_dev == target.st_dev, opened.st_ino == target.st_ino {
                    holders.append(OpenFileHolder(pid: pid, name: command(of: entry, proc: proc)))
                    break
                }
            }
        }
        return Scan(holders: holders.sorted { $0.pid < $1.pid }, uninspected: uninspected)
    }

    /// The command name of a process, or `process` when it ended meanwhile.
    private static func command(of pid: String, proc: String) -> String {
        guard let text = try? String(contentsOfFile: "\(proc)/\(pid)/comm", encoding: .utf8) else { return "process" }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? "process" : name
    }
}
