// swift-tools-version:6.1
import PackageDescription

/// A plugin is one target under `Plugins/` that depends on the core (and support modules) only.
func plugin(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["CadangCore"] + dependencies, path: "Plugins/\(name)")
}

let package = Package(
    name: "Cadang",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cadang", targets: ["cadang"]),
        .library(name: "CadangCore", targets: ["CadangCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // 5.x keeps duplicate mapping keys in the node tree, so the config loader can point at the second one.
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The HTTP server of `cadang serve`; without its default traits (swift-configuration), which
        // would add a minute to a clean build for a config reader cadang does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // age encryption of archives (ops §3): X25519, ChaCha20-Poly1305, HKDF, HMAC; scrypt in _CryptoExtras.
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // System libraries (C APIs).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // The core: protocols, datasets, engine, repository. Knows no plugin.
        .target(name: "CadangCore", dependencies: ["CCrypto", .product(name: "Logging", package: "swift-log")]),

        // Support modules shared by plugins.
        .target(name: "SQLiteSupport", dependencies: ["CadangCore", "CSQLite"]),
        // age v1 (ops §3), on swift-crypto alone: knows nothing of Cadang, so it can be tested on the vectors.
        .target(name: "AgeSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto"),
                                                   .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .target(name: "ArchiveSupport", dependencies: ["CadangCore", "AgeSupport", "CArchive", "CDeflate", "CZlib", "CZstd"]),
        .target(name: "PostgresSupport", dependencies: ["CadangCore", "CPostgres"]),

        // Plugins.
        plugin("KasirSource", dependencies: ["SQLiteSupport", .product(name: "Logging", package: "swift-log")]),
        plugin("CSVSink"),
        plugin("JSONSink"),
        plugin("XLSXSink", dependencies: ["CXLSXWriter"]),
        plugin("RetentionPolicy", dependencies: [.product(name: "Logging", package: "swift-log")]),
        plugin("TarGzSink", dependencies: ["ArchiveSupport", .product(name: "Logging", package: "swift-log")]),
        plugin("DuplicatePolicy", dependencies: ["SQLiteSupport", .product(name: "Logging", package: "swift-log")]),
        plugin("HealthchecksMonitor"),
        plugin("NtfyMonitor"),
        plugin("WebhookMonitor"),
        plugin("RcloneSink", dependencies: [.product(name: "Logging", package: "swift-log")]),
        plugin("POSOrderSource", dependencies: ["SQLiteSupport", "PostgresSupport", "CCrypto",
                                                .product(name: "Logging", package: "swift-log")]),
        plugin("PostgresSink", dependencies: ["PostgresSupport"]),

        // Config and the generic commands: no plugin among its dependencies.
        .target(name: "CadangHost", dependencies: [
            "CadangCore", "ArchiveSupport", "AgeSupport",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The static registry: the one target that imports every built-in plugin.
        .target(name: "CadangPlugins", dependencies: [
            "CadangCore", "CadangHost",
            "KasirSource", "CSVSink", "JSONSink", "TarGzSink", "RetentionPolicy", "DuplicatePolicy",
            "POSOrderSource", "HealthchecksMonitor", "NtfyMonitor", "WebhookMonitor", "RcloneSink",
            "XLSXSink", "PostgresSink",
        ]),
        // `cadang serve`: the HTTP API and the web console over the host's generic operations.
        .target(name: "CadangServe", dependencies: [
            "CadangCore", "CadangHost",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The command-line grammar, parameterised by a registry so a build can add plugins in one line.
        .target(name: "CadangCLI", dependencies: [
            "CadangHost", "CadangServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "cadang", dependencies: ["CadangCLI", "CadangPlugins"]),

        // A `cadang` with one extra plugin declared in the test tree: the end-to-end tests' binary.
        .executableTarget(name: "cadang-harness", dependencies: ["CadangCLI", "CadangPlugins", "CadangCore", "ArchiveSupport"],
                          path: "Tests/Harness"),

        .testTarget(name: "CadangCoreTests", dependencies: ["CadangCore", "CSQLite", "CArchive"]),
        .testTarget(name: "ArchiveSupportTests", dependencies: ["ArchiveSupport", "CadangCore"]),
        // The conformance kit for sink authors: a harness that drives a sink like the engine does,
        // the checks every sink must pass, and Python as the independent reader.
        .target(name: "SinkTestKit", dependencies: ["CadangCore"], path: "Tests/SinkTestKit"),
        .testTarget(name: "SinkTestKitTests", dependencies: ["SinkTestKit", "CadangCore"]),
        // The sink Docs/writing-a-sink.md walks through, built and run through the kit so the guide
        // cannot rot; an example only, in no registry.
        .target(name: "ExampleSink", dependencies: ["CadangCore"], path: "Tests/ExampleSink"),
        .testTarget(name: "ExampleSinkTests", dependencies: ["ExampleSink", "CadangCore", "SinkTestKit"]),
        .testTarget(name: "CSVSinkTests", dependencies: ["CSVSink", "CadangCore", "SinkTestKit"]),
        .testTarget(name: "RcloneSinkTests", dependencies: ["RcloneSink", "CadangCore"]),
        .testTarget(name: "XLSXSinkTests", dependencies: ["XLSXSink", "CadangCore", "SinkTestKit", "cadang"]),
        .testTarget(name: "JSONSinkTests", dependencies: ["JSONSink", "CadangCore", "SinkTestKit"]),
        .testTarget(name: "CadangHostTests", dependencies: ["CadangHost", "CadangPlugins", "CadangCore"]),
        // The command-line grammar without a process: what the parser makes of the words.
        .testTarget(name: "CadangCLITests", dependencies: ["CadangCLI"]),
        .testTarget(name: "AgeSupportTests", dependencies: ["AgeSupport", "CZlib"]),
        .testTarget(name: "EndToEndTests", dependencies: ["cadang", "cadang-harness", "POSTestSupport", "PostgresSupport"]),
        // What the PostgreSQL and Odoo tests share: the throwaway server Scripts/test starts, and
        // the stand-in Odoo (Tests/OdooStandIn) over real HTTP and real PostgreSQL rows.
        .target(name: "POSTestSupport", dependencies: ["CadangCore", "PostgresSupport"], path: "Tests/POSTestSupport"),
        .testTarget(name: "PostgresSupportTests", dependencies: ["PostgresSupport", "POSTestSupport", "CadangCore"]),
        .testTarget(name: "PostgresSinkTests", dependencies: ["PostgresSink", "POSTestSupport", "SinkTestKit", "CadangCore",
                                                              "PostgresSupport", "cadang"]),
        .testTarget(name: "POSOrderSourceTests", dependencies: ["POSOrderSource", "POSTestSupport", "CadangCore",
                                                                "SQLiteSupport", "PostgresSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
