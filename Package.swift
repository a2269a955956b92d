// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "slareport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slareport", targets: ["Report"]),
        // A seeded mutation fuzzer of every reader (`make fuzz`); not installed.
        .executable(name: "slareport-fuzz", targets: ["Fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // Pure, deterministic calculation: no file, network, clock or locale.
        .target(name: "Calc"),
        // Writers: ComplianceReport -> bytes.
        .target(name: "Render", dependencies: [
            "Calc", "CXlsxWriter",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // Readers: export files -> rows and diagnostics (streaming CSV, JSON, OpenMetrics, Uptime Kuma, Statuspage).
        .target(name: "Ingest", dependencies: ["Calc", "CSQLite", "CCrypto"]),
        // The SQLite store: rows in, samples and the import log out.
        .target(name: "Storage", dependencies: ["Calc", "Ingest", "CSQLite"]),
        // HTTP GET for `pull`: swift-server's AsyncHTTPClient (SwiftNIO, with NIOSSL for a private CA).
        .target(name: "Fetch", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Configuration and the stages of a run: import plan, pull, report, publish, verify, check.
        .target(name: "Pipeline", dependencies: [
            "Calc", "Render", "Ingest", "Storage", "CYAMLEvents", "Fetch",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The events of libyaml's parser (which Yams links in), to check a config's shape before Yams composes it.
        .target(name: "CYAMLEvents"),
        // The `slareport` executable: commands only (arguments and what comes from the process).
        .executableTarget(name: "Report", dependencies: [
            "Calc", "Render", "Ingest", "Pipeline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // `slareport-fuzz`: mutated exports through the importer, each reader in a watched worker process.
        .executableTarget(name: "Fuzz", dependencies: ["Ingest", "Storage", "Pipeline"]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .testTarget(name: "CalcTests", dependencies: ["Calc"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Calc"]),
        // Fuzz: so `swift test` builds slareport-fuzz, which FuzzSmokeTests runs.
        .testTarget(name: "ReportTests", dependencies: ["Report", "Pipeline", "Storage", "Ingest", "Calc", "Render", "Fuzz"]),
    ]
)
