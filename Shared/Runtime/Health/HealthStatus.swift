import FanHeatRPC
import Synchronization

/// The serving status of each service, as `grpc.health.v1.Health` reports it.
/// Services set their own status (e.g. NOT_SERVING until ready); the empty name is
/// the whole server. Watchers are told about every change.
public final class HealthStatus: Sendable {
    /// `grpc.health.v1.HealthCheckResponse.ServingStatus`.
    public enum ServingStatus: Int, Sendable {
        case unknown = 0
        case serving = 1
        case notServing = 2
        case serviceUnknown = 3
    }

    private struct State {
        var statuses: [String: ServingStatus] = ["": .serving]
        var watchers: [Int: (service: String, notify: @Sendable (ServingStatus) -> Void)] = [:]
        var nextWatcher = 0
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// Creates a store with the server (`""`) SERVING.
    public init() {}

    /// Sets the status of `service` (`""` for the whole server) and tells its watchers.
    public func setStatus(_ status: ServingStatus, forService service: String) {
        let notify = state.withLock { state -> [@Sendable (ServingStatus) -> Void] in
            if state.shuttingDown && status == .serving { return [] }
            guard state.statuses[service] != status else { return [] }
            state.statuses[service] = status
            return state.watchers.values.filter { $0.service == service }.map(\.notify)
        }
        for callback in notify { callback(status) }
    }

    /// The status of `service`, `nil` if it was never registered.
    public func status(forService service: String) -> ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// Marks every service NOT_SERVING for good (shutdown); watchers see it and then end.
    public func enterShutdown() {
        let notify = state.withLock { state -> [@Sendable (ServingStatus) -> Void] in
            state.shuttingDown = true
            for name in state.statuses.keys { state.statuses[name] = .notServing }
            return state.watchers.values.map(\.notify)
        }
        for callback in notify { callback(.notServing) }
    }

    /// Whether the server is shutting down.
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Registers a watcher; returns its id and the current status (SERVICE_UNKNOWN when unknown).
    func watch(_ service: String, notify: @escaping @Sendable (ServingStatus) -> Void) -> (Int, ServingStatus) {
        state.withLock { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = (service, notify)
            return (id, state.statuses[service] ?? .serviceUnknown)
        }
    }

    /// Removes a watcher.
    func unwatch(_ id: Int) {
        state.withLock { _ = $0.watchers.removeValue(forKey: id) }
    }
}
