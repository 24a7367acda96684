// swift-tools-version:5.10
// Dedup index benchmark: RecentKeyIndex.prefetch + insert of random keys in batches of
// 100, as the ingest pipeline calls them, timing only those calls. Run it with
// benchmarks/index.sh (release build).
import PackageDescription

let package = Package(
    name: "fanheat-index-bench",
    dependencies: [
        .package(name: "FanHeat", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "IndexBench",
            dependencies: [.product(name: "FanHeatIngestCore", package: "FanHeat")]
        )
    ]
)
