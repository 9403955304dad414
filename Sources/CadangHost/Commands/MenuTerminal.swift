import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The menu's side of standard input and output: prompts, echo, and bold text only on a terminal.
struct MenuTerminal {
    /// Standard input is a terminal (it echoes what is typed).
    var inputIsTerminal: Bool
    /// Standard output is a terminal that takes ANSI styles (not `TERM=dumb`, no `NO_COLOR`).
    var styled: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        inputIsTerminal = isatty(STDIN_FILENO) == 1
        styled = isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb" && environment["NO_COLOR"] == nil
    }

    /// Prints one line.
    func say(_ line: String) {
        print(line)
    }

    /// `text` in bold on a styled terminal, else as is.
    func bold(_ text: String) -> String {
        styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    /// Writes buffered standard output (before reading, and around actions so that their error
    /// lines on standard error come after what they printed).
    func flush() {
        fflush(nil)  // every output stream; naming `stdout` is not concurrency-safe in Swift 6
    }

    /// Prints `prompt` and reads one line; `nil` at end of input. When the input is not a terminal
    /// the line is echoed, so a scripted session reads like one typed by hand.
    func ask(_ prompt: String, readLine: () -> String?) -> String? {
        print(prompt, terminator: "")
        flush()
        guard let line = readLine() else {
            print("")  // ends the prompt's line
            return nil
        }
        if !inputIsTerminal { print(line) }
        return line
    }

    /// Says that the input ended (Ctrl-D, or the end of a script) and the menu quits.
    func endOfInput(_ line: String) {
        print(line)
        flush()
    }
}
