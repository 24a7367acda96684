import CNGHTTP2
import FanHeatRPC
import Glibc
import Synchronization

/// A gRPC server over h2c: one acceptor gives each new connection to the event loop
/// serving the fewest of this server's connections; each connection is served entirely
/// on its loop.
public final class GRPCServer: @unchecked Sendable {
    /// The loops serving connections.
    public let group: EventLoopGroup
    private let router: ServiceRouter
    private let configuration: ServerConfiguration
    private let registries: [ConnectionRegistry]
    private var acceptor: Acceptor?
    private let liveConnections = Atomic<Int>(0)
    private let acceptTurn = Atomic<Int>(0)

    /// Creates a server for `router`'s methods.
    public init(router: ServiceRouter, configuration: ServerConfiguration = ServerConfiguration(),
                group: EventLoopGroup = .shared) {
        self.router = router
        self.configuration = configuration
        self.group = group
        self.registries = group.loops.map { ConnectionRegistry(loop: $0) }
    }

    /// Binds and starts accepting on `host:port` (port 0 picks a free port); returns the bound address.
    @discardableResult
    public func start(host: String, port: Int) throws(TransportError) -> SocketAddress {
        guard let address = try SocketAddress.resolve(host: host, port: port).first else {
            throw TransportError("no address for \(host)")
        }
        let descriptor = try Socket.listen(on: address)
        let bound = Socket.localAddress(descriptor)
        let acceptor = Acceptor(descriptor: descriptor, server: self, loop: group.loops[0])
        self.acceptor = acceptor
        group.loops[0].execute { acceptor.loop.register(descriptor, events: EpollFlags.input, handler: acceptor) }
        return bound
    }

    /// The number of open connections.
    public var connectionCount: Int { liveConnections.load(ordering: .relaxed) }

    fileprivate func accepted(_ descriptor: Int32, peer: String) {
        let registry = leastBusyRegistry()
        let loop = registry.loop
        registry.open.add(1, ordering: .relaxed)
        liveConnections.add(1, ordering: .relaxed)
        let create: @Sendable () -> Void = { [self] in
            let connection = ServerConnection(loop: loop, descriptor: descriptor, peer: peer, router: router,
                                              configuration: configuration, owner: registry)
            registry.add(connection)
        }
        if loop.inEventLoop { create() } else { loop.execute(create) }
    }

    fileprivate func connectionClosed() { liveConnections.subtract(1, ordering: .relaxed) }

    /// The registry of the loop with the fewest open connections of this server (ties go
    /// round robin). Not the group's round robin: client channels and other servers take
    /// turns from it too, and two busy connections landing on one loop of two left that
    /// loop saturated while the other idled (measured: one ingest loop at 75% of the
    /// samples, the other at 6%).
    private func leastBusyRegistry() -> ConnectionRegistry {
        let count = registries.count
        let start = acceptTurn.add(1, ordering: .relaxed).oldValue
        var best = registries[start % count]
        var fewest = best.open.load(ordering: .relaxed)
        for step in 1..<max(count, 1) {
            let candidate = registries[(start &+ step) % count]
            let open = candidate.open.load(ordering: .relaxed)
            if open < fewest {
                best = candidate
                fewest = open
            }
        }
        return best
    }

    /// Graceful shutdown, step one: stop accepting and send GOAWAY on every connection;
    /// connections close as their calls finish.
    public func beginShutdown() {
        if let acceptor {
            acceptor.loop.execute { acceptor.close() }
        }
        for registry in registries {
            registry.loop.execute { registry.drainAll() }
        }
    }

    /// Waits until every connection closed or `grace` passed; returns whether all closed.
    public func waitForConnections(grace: Duration) -> Bool {
        let deadline = ContinuousClock.now + grace
        while connectionCount > 0 && ContinuousClock.now < deadline { usleep(10_000) }
        return connectionCount == 0
    }

    /// Closes every connection at once, cancelling their calls.
    public func closeAllConnections() {
        for registry in registries {
            registry.loop.execute { registry.closeAll() }
        }
    }

    /// Per-loop set of connections (loop thread only).
    final class ConnectionRegistry: ServerConnectionOwner, @unchecked Sendable {
        let loop: EventLoop
        weak var server: GRPCServer?
        private var connections: [ObjectIdentifier: ServerConnection] = [:]
        /// Connections given to this loop and not yet closed (read by the acceptor).
        let open = Atomic<Int>(0)

        init(loop: EventLoop) { self.loop = loop }

        func add(_ connection: ServerConnection) {
            if connection.isClosed { return }
            connections[ObjectIdentifier(connection)] = connection
        }

        func connectionDidClose(_ connection: ServerConnection) {
            connections[ObjectIdentifier(connection)] = nil
            open.subtract(1, ordering: .relaxed)
            server?.connectionClosed()
        }

        func drainAll() { for connection in connections.values { connection.beginDrain() } }

        func closeAll() { for connection in connections.values { connection.close(reason: "server shutdown") } }
    }

    /// Accepts connections on the listening socket (loop 0).
    final class Acceptor: EventLoopHandler, @unchecked Sendable {
        let descriptor: Int32
        let loop: EventLoop
        unowned let server: GRPCServer
        private var closed = false

        init(descriptor: Int32, server: GRPCServer, loop: EventLoop) {
            self.descriptor = descriptor
            self.server = server
            self.loop = loop
            for registry in server.registries { registry.server = server }
        }

        func handleEvents(_ events: UInt32) {
            while !closed {
                var storage = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let client = withUnsafeMutablePointer(to: &storage) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        accept(descriptor, $0, &length)
                    }
                }
                if client < 0 {
                    let error = fanheat_errno()
                    if error == EINTR || error == ECONNABORTED { continue }
                    return
                }
                Socket.setNonBlocking(client)
                Socket.setNoDelay(client)
                let peer = withUnsafePointer(to: &storage) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress.describe($0, length: length) }
                }
                server.accepted(client, peer: peer)
            }
        }

        func close() {
            guard !closed else { return }
            closed = true
            loop.unregister(descriptor)
            Glibc.close(descriptor)
        }
    }
}
