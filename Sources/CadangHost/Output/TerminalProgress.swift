import CadangCore
import Foundation
import Synchronization

/// Draws `Progress` on standard error when it is a terminal: one line rewritten in place, cut to
/// the terminal's width; log lines clear it first so the two never run together.
public enum TerminalProgress {
    private static let drawing = Atomic<Bool>(false)

    /// Whether a progress line may be on the screen (log lines clear it).
    static var active: Bool { drawing.load(ordering: .relaxed) }

    /// Turns progress on when `wanted` (no `--quiet`, no `--json`) and stderr is a terminal; off otherwise.
    public static func install(wanted: Bool) {
        guard wanted, isatty(2) == 1 else {
            drawing.store(false, ordering: .relaxed)
            Progress.bootstrap(nil)
            return
        }
        drawing.store(true, ordering: .relaxed)
        Progress.bootstrap { line in
            let width = terminalWidth()
            let shown = line.count > width - 1 ? String(line.prefix(max(0, width - 2))) + "…" : line
            FileHandle.standardError.write(Data("\r\u{1B}[K\(shown)".utf8))
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 else { return 80 }
        return Int(size.ws_col)
    }
}
