import CadangCore
import Foundation

/// Progress of work that writes one file in a single blocking call (SQLite's one-step backup, which
/// must stay one step to be one instant): a thread looks at the file's size every 0.2 s and
/// reports its growth until `stop()`.
final class FileGrowthProgress: @unchecked Sendable {
    private let url: URL
    private let step: ProgressStep
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// Starts watching `url` (it may not exist yet) for a step of `total` bytes named `label`.
    init(_ label: String, watching url: URL, total: Int64) {
        self.url = url
        step = Progress.step(label, total: total, unit: .bytes)
        guard step.isShown else { return }
        let thread = Thread { [self] in watch() }
        thread.name = "cadang.progress"
        self.thread = thread
        thread.start()
    }

    /// Stops the watching thread and clears the line.
    func stop() {
        guard thread != nil else { return }
        thread = nil
        stopped.signal()
        done.wait()
        step.finish()
    }

    private func watch() {
        var reported: Int64 = 0
        // The step itself draws at most every 0.2 s; polling at that pace costs nothing.
        while stopped.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            var info = stat()
            guard stat(url.path, &info) == 0 else { continue }
            let size = Int64(info.st_size)
            if size > reported {
                step.advance(by: size - reported)
                reported = size
            }
        }
        done.signal()
    }
}
