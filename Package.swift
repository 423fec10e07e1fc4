// swift-tools-version:6.0
import PackageDescription

/// pgvault: PostgreSQL backup and restore, repository-compatible with pgBackRest 2.45.
/// Module shape and dependency direction: see ARCHITECTURE.md.
let package = Package(
    name: "pgvault",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pgvault", targets: ["pgvault"]),
        // For the stage benchmark package in bench/stages, which measures VaultIO in release mode.
        .library(name: "VaultIO", targets: ["VaultIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // S3 driver: HTTP/1.1 with connection pooling and TLS (NIOSSL); SigV4 is ours, on libcrypto.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in the graph through async-http-client; named so the S3 driver can build its TLSConfiguration.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        // Metrics: the swift-metrics API, exported in the Prometheus text format by swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries through pkg-config / plain link names. Each folder holds module.modulemap + shim.h.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBZ2", path: "Sources/CBZ2", providers: [.apt(["libbz2-dev"])]),
        // Linux calls the Glibc module leaves out (sync_file_range); no library to link, libc has them.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        .target(name: "VaultCore", dependencies: [
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "VaultIO", dependencies: ["VaultCore", "CCrypto", "CLZ4", "CZstd", "CZlib", "CBZ2"]),
        .target(name: "VaultStorage", dependencies: [
            "VaultCore", "VaultIO", "CCrypto", "CLinux",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "VaultConfig", dependencies: ["VaultCore"]),
        .target(name: "VaultRepository", dependencies: ["VaultCore", "VaultIO", "VaultStorage"]),
        .target(name: "VaultPostgres", dependencies: ["VaultCore", "VaultIO", "CLibPQ"]),
        .target(name: "VaultObservability", dependencies: [
            "VaultCore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "VaultMetrics", dependencies: [
            "VaultCore",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "VaultCommands", dependencies: [
            "VaultCore", "VaultIO", "VaultStorage", "VaultConfig", "VaultRepository", "VaultPostgres",
            "VaultObservability", "VaultMetrics",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "pgvault", dependencies: ["VaultCommands", "VaultCore"]),
        // libFuzzer entry over the parsers and decoders (Fuzz/FuzzMain.swift says how to build it for fuzzing);
        // in the ordinary build it is a replayer of saved inputs.
        .executableTarget(name: "pgvault-fuzz", dependencies: ["VaultConfig", "VaultCore", "VaultIO", "VaultRepository"],
                          path: "Fuzz", exclude: ["README.md"]),

        .testTarget(name: "VaultCoreTests", dependencies: ["VaultCore"]),
        .testTarget(name: "VaultIOTests", dependencies: ["VaultIO", "VaultCore"]),
        .testTarget(name: "VaultStorageTests", dependencies: [
            "VaultStorage", "VaultIO", "VaultCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "VaultConfigTests", dependencies: ["VaultConfig", "VaultCore"]),
        .testTarget(name: "VaultRepositoryTests", dependencies: ["VaultRepository", "VaultStorage", "VaultIO", "VaultCore"]),
        .testTarget(name: "VaultPostgresTests", dependencies: ["VaultPostgres", "VaultCore"]),
        .testTarget(name: "VaultObservabilityTests", dependencies: [
            "VaultObservability", "VaultCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "VaultMetricsTests", dependencies: ["VaultMetrics", "VaultCore"]),
        .testTarget(name: "VaultCommandsTests", dependencies: [
            "VaultCommands", "VaultConfig", "VaultCore", "VaultIO", "VaultStorage", "VaultRepository", "VaultPostgres",
            "VaultObservability", .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
