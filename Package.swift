// swift-tools-version:6.0
// FanHeat: five gRPC services, one RPC runtime, one codec. No Swift package
// dependencies: Foundation, Dispatch and system C libraries only.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// The hot paths (protocol state machines, transport, the log and the ingest pipeline)
// skip the runtime exclusivity checks: they cost ~5% of server CPU per small call
// (benchmarks/rpc.sh) and ~2% of activity-ingest's at batch 100; the compile-time
// checks still apply.
let hotPath: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "FanHeat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "identity", targets: ["identity"]),
        .executable(name: "activity-ingest", targets: ["activity-ingest"]),
        .executable(name: "interop-server", targets: ["interop-server"]),
        .executable(name: "interop-client", targets: ["interop-client"]),
        .executable(name: "fanheat", targets: ["fanheat"]),
        .executable(name: "fanheat-load", targets: ["fanheat-load"]),
        .executable(name: "fanheat-protogen", targets: ["fanheat-protogen"]),
        .executable(name: "rpc-bench-server", targets: ["rpc-bench-server"]),
        // The codec and the generated contracts, for out-of-tree users such as
        // benchmarks/codec (which compares them with swift-protobuf).
        .library(name: "FanHeatCodec", targets: ["FanHeatProtobuf", "FanHeatContracts"]),
        // For benchmarks/pipeline (the ingest hot path in one process, without the network).
        .library(name: "FanHeatIngestCore", targets: ["IngestCore", "FanHeatStorage"]),
    ],
    targets: [
        // System libraries (C interop).
        .systemLibrary(name: "CNGHTTP2", path: "Shared/CNGHTTP2", pkgConfig: "libnghttp2",
                       providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Shared/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Shared/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Header only: the SSE4.2 CRC32 instruction for the log's CRC-32C (nothing to link).
        .systemLibrary(name: "CCRC32C", path: "Shared/CCRC32C"),

        // Shared modules.
        .target(name: "FanHeatProtobuf", path: "Shared/Protobuf", swiftSettings: strict),
        .target(name: "FanHeatSync", path: "Shared/Sync", swiftSettings: strict),
        .target(name: "FanHeatRPC", dependencies: ["FanHeatProtobuf", "FanHeatSync"], path: "Shared/RPC",
                swiftSettings: hotPath),
        .target(name: "FanHeatTransport", dependencies: ["CNGHTTP2", "FanHeatRPC", "FanHeatSync"],
                path: "Shared/Transport", swiftSettings: hotPath),
        .target(name: "FanHeatContracts", dependencies: ["FanHeatProtobuf", "FanHeatRPC"],
                path: "Shared/Contracts", swiftSettings: strict),
        .target(name: "FanHeatRuntime",
                dependencies: ["FanHeatRPC", "FanHeatTransport", "FanHeatContracts", "FanHeatProtobuf", "FanHeatSync"],
                path: "Shared/Runtime", swiftSettings: strict),
        .target(name: "FanHeatModels", dependencies: ["FanHeatContracts"], path: "Shared/Models",
                swiftSettings: strict),
        .target(name: "FanHeatCrypto", dependencies: ["CCrypto"], path: "Shared/Crypto",
                swiftSettings: strict),
        .target(name: "FanHeatStorage", dependencies: ["CSQLite", "CCRC32C", "FanHeatSync"], path: "Shared/Storage",
                swiftSettings: hotPath),
        .executableTarget(name: "fanheat-protogen", dependencies: ["FanHeatProtobuf"],
                          path: "Shared/ProtoGen", swiftSettings: strict),

        // Services and tools.
        .target(name: "IdentityCore",
                dependencies: ["FanHeatRuntime", "FanHeatModels", "FanHeatStorage", "FanHeatCrypto"],
                path: "Services/identity/Core", swiftSettings: strict),
        .executableTarget(name: "identity", dependencies: ["IdentityCore"],
                          path: "Services/identity/Main", swiftSettings: strict),
        .target(name: "IngestCore",
                dependencies: ["FanHeatRuntime", "FanHeatModels", "FanHeatStorage", "FanHeatCrypto", "FanHeatSync"],
                path: "Services/activity-ingest/Core", swiftSettings: hotPath),
        .executableTarget(name: "activity-ingest", dependencies: ["IngestCore"],
                          path: "Services/activity-ingest/Main", swiftSettings: strict),
        .executableTarget(name: "interop-server", dependencies: ["FanHeatRuntime"],
                          path: "Services/interop-server", swiftSettings: strict),
        .executableTarget(name: "interop-client", dependencies: ["FanHeatRuntime"],
                          path: "Services/interop-client", swiftSettings: strict),
        .executableTarget(name: "fanheat", dependencies: ["FanHeatRuntime", "FanHeatModels"],
                          path: "Services/fanheat", swiftSettings: strict),
        .executableTarget(name: "fanheat-load", dependencies: ["FanHeatRuntime", "FanHeatModels", "FanHeatSync"],
                          path: "Services/fanheat-load", swiftSettings: strict),
        .executableTarget(name: "rpc-bench-server", dependencies: ["FanHeatRuntime", "FanHeatContracts"],
                          path: "benchmarks/rpc-bench-server", swiftSettings: strict),

        // Tests (XCTest); the Python suites live in Tests/python.
        .testTarget(name: "ProtobufTests", dependencies: ["FanHeatProtobuf", "FanHeatContracts"],
                    path: "Tests/ProtobufTests", exclude: ["Protos"],
                    resources: [.copy("Golden"), .copy("FuzzRegressions")]),
        .testTarget(name: "RPCTests", dependencies: ["FanHeatRPC", "FanHeatTransport", "FanHeatRuntime"],
                    path: "Tests/RPCTests"),
        .testTarget(name: "StorageTests", dependencies: ["FanHeatStorage", "FanHeatCrypto", "FanHeatSync"],
                    path: "Tests/StorageTests"),
        .testTarget(name: "IdentityTests", dependencies: ["IdentityCore"], path: "Tests/IdentityTests"),
        .testTarget(name: "IngestTests", dependencies: ["IngestCore"], path: "Tests/IngestTests"),
    ]
)
