import Foundation
import Synchronization

/// How far long work is (ops §5): one line per running step — what, how much of how much, the
/// rate and the time left — drawn in place on a terminal.
///
/// Like swift-log's `LoggingSystem`, the display is chosen once per process by the host
/// (`Progress.bootstrap`): a terminal on stderr without `--quiet` or `--json` draws; everything
/// else (a pipe, a log, a scheduler, the tests) gets nothing and pays one branch per batch.
/// Contract for callers: report per batch or chunk, never per row; `finish` every step begun.
public enum Progress {
    /// What a step counts.
    public enum Unit: Sendable {
        case rows, bytes, items
    }

    private static let display = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Draws every step's line with `draw` from now on (`nil`: no progress).
    public static func bootstrap(_ draw: (@Sendable (String) -> Void)?) {
        display.withLock { $0 = draw }
    }

    /// Starts a step, e.g. `Progress.step("export kasir.transaksi", total: nil, unit: .rows)`.
    public static func step(_ label: String, total: Int64?, unit: Unit) -> ProgressStep {
        ProgressStep(label: label, total: total, unit: unit, draw: display.withLock { $0 })
    }
}

/// One running step. Not shared between threads: the thread that reads a table reports its batches.
public final class ProgressStep {
    private let label: String
    private let total: Int64?
    private let unit: Progress.Unit
    private let draw: (@Sendable (String) -> Void)?
    private let started = Date()
    private var done: Int64 = 0
    /// The first line waits one interval: a step that ends sooner draws nothing, and the rate has
    /// something to go on.
    private lazy var drawnAt = started
    private var drawn = false

    /// Redraws at most this often: a terminal is slower than the work.
    static let interval: TimeInterval = 0.2

    init(label: String, total: Int64?, unit: Progress.Unit, draw: (@Sendable (String) -> Void)?) {
        self.label = label
        self.total = total
        self.unit = unit
        self.draw = draw
    }

    /// Whether anything is drawn (a terminal, no --json or --quiet); work may skip measuring if not.
    public var isShown: Bool { draw != nil }

    /// Counts `count` more rows, bytes or items done.
    public func advance(by count: Int64) {
        guard let draw else { return }
        done += count
        let now = Date()
        guard now.timeIntervalSince(drawnAt) >= Self.interval else { return }
        drawnAt = now
        drawn = true
        draw(line(now: now))
    }

    /// The step is over: its line goes away.
    public func finish() {
        guard let draw, drawn else { return }
        draw("")
    }

    /// e.g. `export kasir.transaksi  412,000 rows  85,300 rows/s` or
    /// `pack auto → usb  512.0 MB of 1.2 GB (42%)  95.1 MB/s  7s left`.
    func line(now: Date) -> String {
        let seconds = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / seconds
        var parts = [label, amount(done)]
        if let total, total > 0 {
            parts[1] += " of \(amount(total)) (\(min(100, done * 100 / total))%)"
        }
        parts.append(amount(Int64(rate)) + "/s")
        if let total, total > done, rate > 0 {
            parts.append(Self.remaining(Int((Double(total - done) / rate).rounded(.up))) + " left")
        }
        return parts.joined(separator: "  ")
    }

    /// `42s`, `3m 05s`, `1h 20m`.
    static func remaining(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m " + String(format: "%02ds", seconds % 60) }
        return "\(seconds / 3600)h " + String(format: "%02dm", seconds % 3600 / 60)
    }

    private func amount(_ value: Int64) -> String {
        switch unit {
        case .bytes: ByteCount.format(value)
        case .rows: "\(value) rows"
        case .items: "\(value)"
        }
    }
}
