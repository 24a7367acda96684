import CNGHTTP2
import Glibc

/// An IPv4 or IPv6 socket address.
public struct SocketAddress: Sendable, CustomStringConvertible {
    var storage: sockaddr_storage
    var length: socklen_t

    /// Resolves `host` and `port` (numeric or DNS) to every address, in resolver order.
    public static func resolve(host: String, port: Int) throws(TransportError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = 1  // SOCK_STREAM
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw TransportError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: entry.pointee.ai_addr, count: Int(entry.pointee.ai_addrlen)))
            }
            let address = SocketAddress(storage: storage, length: entry.pointee.ai_addrlen)
            if !addresses.contains(where: { $0.description == address.description }) { addresses.append(address) }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// The address family.
    var family: Int32 { Int32(storage.ss_family) }

    /// `host:port` (IPv6 in brackets).
    public var description: String {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                Self.describe(address, length: length)
            }
        }
    }

    /// Formats a C socket address.
    static func describe(_ address: UnsafePointer<sockaddr>, length: socklen_t) -> String {
        var host = [CChar](repeating: 0, count: 64)
        var service = [CChar](repeating: 0, count: 16)
        let status = getnameinfo(address, length, &host, 64, &service, 16, NI_NUMERICHOST | NI_NUMERICSERV)
        guard status == 0 else { return "unknown" }
        let hostText = cText(host), portText = cText(service)
        return address.pointee.sa_family == UInt16(AF_INET6) ? "[\(hostText)]:\(portText)" : "\(hostText):\(portText)"
    }
}

/// A NUL-terminated C character array as a String.
func cText(_ characters: [CChar]) -> String {
    String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A socket-level failure.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }

    /// An error for the current `errno`.
    static func system(_ what: String) -> TransportError {
        TransportError("\(what): \(String(cString: strerror(fanheat_errno())))")
    }
}

/// Thin wrappers over socket system calls.
enum Socket {
    static let nonBlockingCloseOnExec: Int32 = 0o4000 | 0o2000000

    /// Splits `host:port` (IPv6 in brackets).
    static func splitHostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              port >= 0, port < 65_536 else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }

    /// Creates a listening, non-blocking socket with SO_REUSEADDR (not SO_REUSEPORT: a second
    /// process on the same port must fail with EADDRINUSE, not silently share the port).
    static func listen(on address: SocketAddress, backlog: Int32 = 1024) throws(TransportError) -> Int32 {
        let descriptor = socket(address.family, 1 | nonBlockingCloseOnExec, 0)
        guard descriptor >= 0 else { throw .system("socket") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, 4)
        var storage = address.storage
        let bound = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, address.length) }
        }
        guard bound == 0 else {
            let error = TransportError.system("bind \(address)")
            Glibc.close(descriptor)
            throw error
        }
        guard Glibc.listen(descriptor, backlog) == 0 else {
            let error = TransportError.system("listen \(address)")
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    /// The local address of a socket.
    static func localAddress(_ descriptor: Int32) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(descriptor, $0, &length) }
        }
        return SocketAddress(storage: storage, length: length)
    }

    /// Starts a non-blocking connect; returns the descriptor (connection completes on writability).
    static func connect(to address: SocketAddress) throws(TransportError) -> Int32 {
        let descriptor = socket(address.family, 1 | nonBlockingCloseOnExec, 0)
        guard descriptor >= 0 else { throw .system("socket") }
        setNoDelay(descriptor)
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, address.length) }
        }
        if status != 0 && fanheat_errno() != EINPROGRESS {
            let error = TransportError.system("connect \(address)")
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    /// The pending error of a socket (after a non-blocking connect).
    static func pendingError(_ descriptor: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(4)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        return error
    }

    /// Makes a descriptor non-blocking and close-on-exec.
    static func setNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    /// Disables Nagle's algorithm.
    static func setNoDelay(_ descriptor: Int32) {
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, 4)
    }
}
