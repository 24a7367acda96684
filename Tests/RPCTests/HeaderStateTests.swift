import FanHeatRPC
import XCTest

final class HeaderStateTests: XCTestCase {
    private func parse(_ fields: [(String, String)]) -> Result<ServerRequestHead, ServerRequestRejection> {
        var parser = ServerRequestHeadParser()
        for (name, value) in fields { parser.add(name: name, value: value) }
        return parser.finish()
    }

    private let valid = [(":method", "POST"), (":scheme", "http"), (":path", "/pkg.Service/Method"),
                         (":authority", "localhost"), ("content-type", "application/grpc"), ("te", "trailers")]

    func testValidRequestKeepsOnlyCustomMetadata() throws {
        let head = try parse(valid + [("grpc-timeout", "100m"), ("x-user", "7"), ("token-bin", "AQI")]).get()
        XCTAssertEqual(head.path, "/pkg.Service/Method")
        XCTAssertEqual(head.timeout, .milliseconds(100))
        XCTAssertEqual(head.metadata.firstString(forKey: "x-user"), "7")
        XCTAssertEqual(head.metadata.firstBinary(forKey: "token-bin"), [1, 2])
        XCTAssertNil(head.metadata.firstString(forKey: "te"))
        XCTAssertEqual(head.metadata.count, 2)
    }

    func testNonGRPCContentTypeIsHTTP415() {
        guard case .failure(let rejection) = parse(valid.map { $0.0 == "content-type" ? ($0.0, "application/json") : $0 }) else {
            return XCTFail("accepted a JSON request")
        }
        XCTAssertEqual(rejection.httpStatus, 415)
        XCTAssertEqual(rejection.responseHeaders.first, HeaderField(":status", "415"))
        XCTAssertTrue(rejection.responseHeaders.contains { $0.name == "grpc-status" })
    }

    func testContentTypeSuffixesAreAccepted() {
        XCTAssertNoThrow(try parse(valid.map { $0.0 == "content-type" ? ($0.0, "application/grpc+proto") : $0 }).get())
    }

    func testUnsupportedEncodingIsUnimplementedTrailersOnly() {
        guard case .failure(let rejection) = parse(valid + [("grpc-encoding", "gzip")]) else { return XCTFail("accepted gzip") }
        XCTAssertEqual(rejection.httpStatus, 200)
        XCTAssertEqual(rejection.error.code, .unimplemented)
        let fields = rejection.responseHeaders
        XCTAssertEqual(fields.first, HeaderField(":status", "200"))
        XCTAssertTrue(fields.contains(HeaderField("grpc-status", "12")))
    }

    func testMalformedTimeoutAndBinaryAreRefused() {
        if case .success = parse(valid + [("grpc-timeout", "soon")]) { XCTFail("accepted a bad timeout") }
        if case .success = parse(valid + [("key-bin", "%%%")]) { XCTFail("accepted bad base64") }
        if case .success = parse(valid.map { $0.0 == ":method" ? ($0.0, "GET") : $0 }) { XCTFail("accepted GET") }
    }

    func testTrailersCarryStatusAndEncodedMessage() {
        var metadata = Metadata()
        metadata.addString("v", forKey: "x-trailer")
        let fields = ServerResponseHead.trailers(code: .notFound, message: "no such ☺", metadata: metadata)
        XCTAssertEqual(fields[0], HeaderField("grpc-status", "5"))
        XCTAssertEqual(fields[1], HeaderField("grpc-message", "no such %E2%98%BA"))
        XCTAssertEqual(fields[2], HeaderField("x-trailer", "v"))
        XCTAssertEqual(ServerResponseHead.trailers(code: .ok, message: "", metadata: Metadata()), [HeaderField("grpc-status", "0")])
    }

    func testClientParsesTrailersOnlyAndHTTPErrors() {
        var parser = ClientResponseHeadParser()
        for field in ServerResponseHead.trailersOnly(RPCError(code: .permissionDenied, message: "no\ttabs")) {
            parser.add(name: field.name, value: field.value)
        }
        XCTAssertNil(parser.headersError())
        XCTAssertTrue(parser.hasStatus)
        XCTAssertEqual(parser.status().code, .permissionDenied)
        XCTAssertEqual(parser.status().message, "no\ttabs")

        var http = ClientResponseHeadParser()
        http.add(name: ":status", value: "503")
        XCTAssertEqual(http.headersError()?.code, .unavailable)
        var html = ClientResponseHeadParser()
        html.add(name: ":status", value: "200")
        html.add(name: "content-type", value: "text/html")
        XCTAssertEqual(html.headersError()?.code, .unknown)
        XCTAssertEqual(ClientResponseHeadParser.code(forHTTPStatus: "404"), .unimplemented)
    }

    func testClientRequestHeadersAreLowerCaseWithTimeout() {
        var metadata = Metadata()
        metadata.addString("Bearer x", forKey: "Authorization")
        let fields = ClientRequestHead.headers(path: "/a/b", authority: "h:1", timeout: .seconds(2), metadata: metadata)
        XCTAssertTrue(fields.allSatisfy { $0.name == $0.name.lowercased() })
        XCTAssertTrue(fields.contains(HeaderField("grpc-timeout", "2000000u")))
        XCTAssertTrue(fields.contains(HeaderField("te", "trailers")))
        XCTAssertTrue(fields.contains(HeaderField("authorization", "Bearer x")))
    }
}
