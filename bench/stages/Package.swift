// swift-tools-version:6.0
import PackageDescription

/// Stage throughput benchmark. Depends on the main package by path; needs its `VaultIO` library product.
let package = Package(
    name: "stage-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "pgvault", path: "../..")],
    targets: [
        .executableTarget(name: "stage-bench", dependencies: [.product(name: "VaultIO", package: "pgvault")]),
    ],
    swiftLanguageModes: [.v6]
)
