// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "slareport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slareport", targets: ["Report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // Pure, deterministic calculation: no file, network, clock or locale.
        .target(name: "Calc"),
        // Writers: ComplianceReport -> bytes.
        .target(name: "Render", dependencies: [
            "Calc", "CXlsxWriter",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The `slareport` executable: commands, config, import, store, orchestration.
        .executableTarget(name: "Report", dependencies: [
            "Calc", "Render", "CSQLite", "CCrypto",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .testTarget(name: "CalcTests", dependencies: ["Calc"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Calc"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Calc", "Render"]),
    ]
)
