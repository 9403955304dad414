import ArchiveSupport
import CadangCLI
import CadangHost
import CadangPlugins
import Foundation

// The archive tests prove the targz sink's checks by injecting the faults they must catch; only
// this test binary reads the variable, the shipped `cadang` never does.
if let name = ProcessInfo.processInfo.environment["CADANG_HARNESS_ARCHIVE_FAULT"] {
    guard let fault = ArchiveFault(rawValue: name) else {
        FileHandle.standardError.write(Data("cadang-harness: unknown CADANG_HARNESS_ARCHIVE_FAULT '\(name)'\n".utf8))
        exit(2)
    }
    ArchiveFault.inject(fault)
}

// A `cadang` with the test tree's plugins: adding a plugin is this one registry line.
CadangCommand.main(registry: PluginRegistry.builtIn.adding([
    .source(SampleSource.self), .source(LedgerSource.self), .sink(LedgerSink.self),
]))
