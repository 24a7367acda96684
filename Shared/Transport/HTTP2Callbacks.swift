import CNGHTTP2

/// The nghttp2 callback table shared by every session: each callback recovers the
/// connection from `user_data` (an unretained reference, as swift-nio's HTTP parser does)
/// and forwards to its overridable hooks. The connection outlives its session, so the
/// callbacks borrow it without a retain/release pair (`_withUnsafeGuaranteedRef`).
enum HTTP2Callbacks {
    /// Runs `body` with the connection behind `userData`, without retaining it.
    @inline(__always)
    static func with<T>(_ userData: UnsafeMutableRawPointer?, _ body: (HTTP2Connection) -> T) -> T {
        Unmanaged<HTTP2Connection>.fromOpaque(userData!)._withUnsafeGuaranteedRef(body)
    }

    /// What a callback returns once its connection closed (inside `mem_recv`): nghttp2 stops.
    static let failure = Int32(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)

    /// The callback table, built once.
    nonisolated(unsafe) static let table: OpaquePointer = {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            HTTP2Callbacks.with(userData) { connection in
                if connection.isClosed { return failure }
                let frame = frame!.pointee
                return connection.beginHeaders(streamID: frame.hd.stream_id, category: frame.headers.cat)
            }
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            HTTP2Callbacks.with(userData) { connection in
                if connection.isClosed { return failure }
                return connection.header(streamID: frame!.pointee.hd.stream_id,
                                         name: UnsafeBufferPointer(start: name, count: nameLength),
                                         value: UnsafeBufferPointer(start: value, count: valueLength))
            }
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            HTTP2Callbacks.with(userData) { connection in
                if connection.isClosed { return failure }
                let header = frame!.pointee.hd
                let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
                switch UInt32(header.type) {
                case NGHTTP2_HEADERS.rawValue:
                    connection.headersReceived(streamID: header.stream_id, endStream: endStream)
                case NGHTTP2_DATA.rawValue:
                    if endStream { connection.endStreamReceived(streamID: header.stream_id) }
                case NGHTTP2_PING.rawValue:
                    if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { connection.pingReceived() }
                case NGHTTP2_GOAWAY.rawValue:
                    let goAway = frame!.pointee.goaway
                    connection.goAwayReceived(lastStreamID: goAway.last_stream_id, errorCode: goAway.error_code)
                default:
                    break
                }
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            HTTP2Callbacks.with(userData) { connection in
                if connection.isClosed { return failure }
                connection.dataReceived(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length))
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            HTTP2Callbacks.with(userData) { connection in
                if connection.isClosed { return failure }
                connection.streamClosed(streamID: streamID, errorCode: errorCode)
                return 0
            }
        }
        return callbacks!
    }()

    /// Session options: manual window updates (flow control follows consumption).
    nonisolated(unsafe) static let options: OpaquePointer = {
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        nghttp2_option_set_no_auto_window_update(option, 1)
        nghttp2_option_set_max_send_header_block_length(option, 256 * 1024)
        // closed streams are kept only for the RFC 7540 priority tree, which gRPC does not use
        nghttp2_option_set_no_closed_streams(option, 1)
        return option!
    }()
}
