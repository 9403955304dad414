import CadangCore
import Foundation

/// Where a key file's passphrase comes from: `CADANG_KEY_PASSPHRASE` (for scripts and tests; never
/// a command-line flag, which other users can read in `ps`), else typed on the terminal with echo off.
enum Passphrase {
    /// The environment variable read first.
    static let variable = "CADANG_KEY_PASSPHRASE"

    /// The passphrase for `file`, asked once.
    static func ask(for file: URL) throws -> String {
        if let value = ProcessInfo.processInfo.environment[variable] { return value }
        return try read(prompt: "Passphrase for \(file.lastPathComponent) / Kata sandi: ")
    }

    /// A new passphrase, typed twice; at least 10 characters, as a key file may be found.
    static func choose() throws -> String {
        let chosen: String
        if let value = ProcessInfo.processInfo.environment[variable] {
            chosen = value
        } else {
            chosen = try read(prompt: "New passphrase for the key file / Kata sandi baru: ")
            guard try read(prompt: "Again / Ulangi: ") == chosen else {
                throw CadangError(.usage, "the two passphrases differ; no key was written", fix: "run 'cadang key generate' again")
            }
        }
        guard chosen.count >= 10 else {
            throw CadangError(.usage, "the passphrase is too short (\(chosen.count) characters); no key was written",
                              fix: "use at least 10 characters, e.g. four unrelated words, and write it on the recovery card")
        }
        return chosen
    }

    /// Reads one line from the terminal with echo off.
    private static func read(prompt: String) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw CadangError(.usage, "a passphrase is needed but there is no terminal to type it on",
                              fix: "run this in a terminal, or set \(variable)")
        }
        defer { close(fd) }
        var saved = termios()
        let canHide = tcgetattr(fd, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer { if canHide { var restore = saved; tcsetattr(fd, TCSAFLUSH, &restore) } }
        _ = prompt.withCString { Glibc.write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            line.append(byte)
            if line.count > 4096 { break }
        }
        _ = Glibc.write(fd, "\n", 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
