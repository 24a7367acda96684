// swift-tools-version:6.0
// Codec benchmark: FanHeat's protobuf codec against swift-protobuf 1.39.0 on the
// ingest contract, in one process. Run it with benchmarks/codec.sh (release build).
// This package is separate from the product package so that the product keeps no
// package dependencies.
import PackageDescription

let package = Package(
    name: "fanheat-codec-bench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(name: "FanHeat", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "CodecBench",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "FanHeatCodec", package: "FanHeat"),
            ]
        )
    ]
)
