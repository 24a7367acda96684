import Dispatch
import FanHeatContracts
import FanHeatRPC
import FanHeatTransport
import Foundation
import Synchronization

/// Hosts a service: parses the common flags, logs JSON lines, serves the registered
/// services plus health and reflection over gRPC, exposes Prometheus metrics, gives
/// client channels to peers, and shuts down gracefully on SIGTERM/SIGINT.
///
/// ```swift
/// let host = ServiceHost.fromCommandLine(HostSpecification(name: "identity"))
/// host.register(IdentityServiceImplementation(...))
/// host.run()
/// ```
public final class ServiceHost: @unchecked Sendable {
    /// Health and reflection service names, served by every host.
    public static let standardServices: Set<String> = Set(["grpc.health.v1.Health"] + ReflectionService.serviceNames)

    /// What the host was built from.
    public let specification: HostSpecification
    /// The parsed settings.
    public let configuration: HostConfiguration
    /// The service's logger.
    public let logger: Logger
    /// Per-service health, served by `grpc.health.v1.Health`.
    public let health = HealthStatus()
    /// Per-method metrics, served on `/metrics`.
    public let metrics = MetricsRegistry()
    /// Server settings; adjust before ``start()``.
    public var serverConfiguration = ServerConfiguration()
    /// The event loops (one per core).
    public let group: EventLoopGroup

    private var router = ServiceRouter()
    private var interceptors: [any ServerInterceptor] = []
    private var protoFiles: [ProtoFileDescriptor] = []
    private var server: GRPCServer?
    private let channels = Mutex<[String: HTTP2ClientChannel]>([:])
    private let signalCount = Atomic<Int>(0)

    /// Creates a host from parsed settings.
    public init(specification: HostSpecification, configuration: HostConfiguration, group: EventLoopGroup = .shared) {
        self.specification = specification
        self.configuration = configuration
        self.group = group
        self.logger = Logger(service: specification.name, minimumLevel: configuration.logLevel)
    }

    /// Parses the process's arguments and environment; prints usage and exits 0 on `--help`,
    /// prints the problem and exits 2 on a bad configuration.
    public static func fromCommandLine(_ specification: HostSpecification,
                                       arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> ServiceHost {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(HostConfiguration.usage(specification))
            exit(0)
        }
        do {
            let configuration = try HostConfiguration.parse(specification, arguments: arguments, environment: environment)
            return ServiceHost(specification: specification, configuration: configuration)
        } catch {
            Logger(service: specification.name).error("invalid configuration: \(error.description)")
            FileHandle.standardError.write(Data("\(specification.name): \(error.description)\n".utf8))
            exit(2)
        }
    }

    /// Adds a service's methods and marks it SERVING (set NOT_SERVING until ready if needed).
    public func register(_ service: some RegistrableService) {
        let before = Set(router.serviceNames)
        router.register(service)
        for name in Set(router.serviceNames).subtracting(before) where health.status(forService: name) == nil {
            health.setStatus(.serving, forService: name)
        }
    }

    /// Adds methods directly (raw or typed registrations).
    public func register(_ configure: (inout ServiceRouter) -> Void) {
        let before = Set(router.serviceNames)
        configure(&router)
        for name in Set(router.serviceNames).subtracting(before) where health.status(forService: name) == nil {
            health.setStatus(.serving, forService: name)
        }
    }

    /// Adds an interceptor (they run in the order added, after metrics).
    public func addInterceptor(_ interceptor: any ServerInterceptor) { interceptors.append(interceptor) }

    /// Adds `.proto` files for reflection (every file of `GeneratedProtoFiles.all` is always served).
    public func addProtoFiles(_ files: [ProtoFileDescriptor]) { protoFiles.append(contentsOf: files) }

    /// A channel to a declared peer (flag `--NAME-addr` / env `FANHEAT_NAME_ADDR`), created once.
    public func channel(forPeer peer: String) throws(HostError) -> HTTP2ClientChannel {
        guard let address = configuration.peerAddresses[peer] else {
            throw HostError("\(peer) is not a declared peer of \(specification.name)")
        }
        return try channel(to: address)
    }

    /// A channel to `HOST:PORT`, created once per address.
    public func channel(to address: String) throws(HostError) -> HTTP2ClientChannel {
        if let existing = channels.withLock({ $0[address] }) { return existing }
        let created: HTTP2ClientChannel
        do { created = try HTTP2ClientChannel(target: address, group: group) } catch {
            throw HostError("cannot create a channel to \(address): \(error)")
        }
        return channels.withLock { table in
            if let existing = table[address] { return existing }
            table[address] = created
            return created
        }
    }

    /// Starts serving (health, reflection, metrics included); returns the bound gRPC address.
    @discardableResult
    public func start() throws(HostError) -> SocketAddress {
        var router = self.router
        let services = router.serviceNames
        router.register(HealthService(status: health))
        let listed = (services + Array(Self.standardServices)).sorted()
        var files = GeneratedProtoFiles.all
        for file in protoFiles where !files.contains(where: { $0.name == file.name }) { files.append(file) }
        router.register(ReflectionService(services: { listed }, files: files))
        var configuration = serverConfiguration
        configuration.interceptors = [metrics] + interceptors + [LoggingInterceptor(logger: logger)]
        let server = GRPCServer(router: router, configuration: configuration, group: group)
        let address: SocketAddress
        do { address = try server.start(host: self.configuration.listenHost, port: self.configuration.listenPort) } catch {
            throw HostError("cannot listen on \(self.configuration.listenHost):\(self.configuration.listenPort): \(error)")
        }
        self.server = server
        metrics.addGauge("fanheat_rpc_server_connections") { Double(server.connectionCount) }
        let group = self.group
        metrics.addGauge("fanheat_event_loops") { Double(group.loops.count) }
        metrics.addGauge("fanheat_event_loop_idle_seconds_total") { Double(group.idleNanoseconds) / 1e9 }
        if let host = self.configuration.metricsHost, let port = self.configuration.metricsPort {
            let metricsServer = try MetricsHTTPServer(host: host, port: port, render: { [metrics] in metrics.render() })
            metricsServer.start()
            logger.info("metrics listening", ["address": "\(host):\(metricsServer.port)"])
        }
        logger.info("serving", ["address": address.description, "services": services.joined(separator: ",")])
        return address
    }

    /// Graceful shutdown: NOT_SERVING, stop accepting, GOAWAY, drain up to `grace`, then close.
    public func shutdown(grace: Duration) {
        guard let server else { return }
        health.enterShutdown()
        server.beginShutdown()
        if server.waitForConnections(grace: grace) {
            logger.info("drained")
        } else {
            logger.warning("grace period over; closing \(server.connectionCount) connections")
            server.closeAllConnections()
            _ = server.waitForConnections(grace: .seconds(1))
        }
    }

    /// Serves until SIGTERM or SIGINT, drains for the configured grace and exits 0;
    /// a second signal exits at once (status 1). Exits 2 if the server cannot start.
    public func run() -> Never {
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                if signalCount.add(1, ordering: .relaxed).newValue == 1 {
                    logger.info("signal received; shutting down", ["signal": String(signalNumber)])
                    stop.signal()
                } else {
                    logger.warning("second signal; exiting now")
                    exit(1)
                }
            }
            source.resume()
            sources.append(source)
        }
        do { try start() } catch {
            logger.error("startup failed: \(error.description)")
            exit(2)
        }
        stop.wait()
        shutdown(grace: configuration.shutdownGrace)
        logger.info("stopped")
        withExtendedLifetime(sources) {}
        exit(0)
    }
}
