import CadangCore

// Its archives get their final name only once proved, with `<name>.sha256` beside them: what a
// copying sink (`archives: <this sink>`) needs. A file of its own, so the sink's code stays untouched.
extension TarGzSink: ArchiveMaking {}
