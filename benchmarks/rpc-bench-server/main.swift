import FanHeatContracts
import FanHeatRPC
import FanHeatRuntime

// rpc-bench-server: the runtime's benchmark target for benchmarks/rpc.sh. Serves
// fanheat.ingest.v1.ActivityIngest exactly as the reference peers in shared/peers do
// (decode, count, reject empty member_id, store nothing), through the full ServiceHost
// (metrics and logging interceptors, health, reflection). `Ingest` runs as an
// event-loop callback (`registerUnaryCallback`), the runtime's hot path.
//   rpc-bench-server --listen 127.0.0.1:PORT [--metrics-listen 127.0.0.1:PORT] [--log-level warning]
let host = ServiceHost.fromCommandLine(
    HostSpecification(name: "rpc-bench-server", defaultPort: 7090,
                      summary: "fanheat.ingest.v1.ActivityIngest counting peer for benchmarks/rpc.sh"))
host.register(IngestCounter())
host.register { router in
    router.registerUnaryCallback(Fanheat_Ingest_V1_ActivityIngest.Method.ingest) { request, _, responder in
        var response = Fanheat_Ingest_V1_IngestResponse()
        IngestCounter.count(request, into: &response, base: 0)
        responder.succeed(response)
    }
}
host.run()
