import FanHeatRPC
import FanHeatSync
import Synchronization

/// One address's connection on one loop, reconnected with exponential backoff
/// (loop thread only).
final class Subchannel: @unchecked Sendable {
    let loop: EventLoop
    let address: SocketAddress
    let configuration: ClientConfiguration
    private var connection: ClientConnection?
    private var backoff: Duration
    private var retryAt: UInt64 = 0
    private var lastFailure = ""
    private let backingOff = Atomic<Bool>(false)

    /// Whether the last connection attempt failed and the retry time has not come yet
    /// (readable from any thread; the channel's picker skips such subchannels).
    var isBackingOff: Bool { backingOff.load(ordering: .relaxed) && MonotonicClock.now < retryAtSnapshot.load(ordering: .relaxed) }
    private let retryAtSnapshot = Atomic<UInt64>(0)

    init(loop: EventLoop, address: SocketAddress, configuration: ClientConfiguration) {
        self.loop = loop
        self.address = address
        self.configuration = configuration
        self.backoff = configuration.initialBackoff
    }

    /// The live connection, connecting if needed; `nil` (with the reason) while backing off.
    func connectionForCall() -> Result<ClientConnection, RPCError> {
        if let connection, !connection.isClosed, !connection.goingAway { return .success(connection) }
        let now = MonotonicClock.now
        if now < retryAt {
            return .failure(RPCError(code: .unavailable,
                                     message: "cannot connect to \(address): \(lastFailure) (retrying shortly)"))
        }
        do {
            let created = try ClientConnection(loop: loop, address: address, settings: configuration.http2,
                                               maximumMessageSize: configuration.maximumReceiveMessageSize,
                                               connectTimeout: configuration.connectTimeout)
            created.onStateChange = { [weak self] connection, ready in self?.stateChanged(connection, ready: ready) }
            connection = created
            return .success(created)
        } catch {
            recordFailure(error.description)
            return .failure(RPCError(code: .unavailable, message: "cannot connect to \(address): \(error)"))
        }
    }

    private func stateChanged(_ changed: ClientConnection, ready: Bool) {
        if ready {
            backoff = configuration.initialBackoff
            retryAt = 0
            backingOff.store(false, ordering: .relaxed)
            return
        }
        guard changed === connection else { return }
        connection = nil
        if !changed.isReady && !changed.goingAway { recordFailure("connection failed") }
    }

    private func recordFailure(_ reason: String) {
        lastFailure = reason
        retryAt = MonotonicClock.now + MonotonicClock.nanoseconds(backoff)
        retryAtSnapshot.store(retryAt, ordering: .relaxed)
        backingOff.store(true, ordering: .relaxed)
        backoff = min(configuration.maximumBackoff, backoff * 1.6)
    }

    /// Closes the connection.
    func close() {
        connection?.close(reason: "channel closed")
        connection = nil
    }
}
