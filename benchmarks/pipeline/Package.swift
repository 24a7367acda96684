// swift-tools-version:5.10
// Ingest pipeline benchmark: IngestPipeline.ingest (validation, membership, dedup,
// append) on two threads against a real log with group commit, in one process and
// without the network, so hot-path changes can be compared with less noise than the
// end-to-end benchmark. Run it with benchmarks/pipeline.sh (release build).
import PackageDescription

let package = Package(
    name: "fanheat-pipeline-bench",
    dependencies: [
        .package(name: "FanHeat", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "PipelineBench",
            dependencies: [.product(name: "FanHeatIngestCore", package: "FanHeat")]
        ),
        // The idempotency index alone (RecentKeyIndex prefetch + insert); benchmarks/index.sh.
        .executableTarget(
            name: "IndexBench",
            dependencies: [.product(name: "FanHeatIngestCore", package: "FanHeat")]
        ),
    ]
)
