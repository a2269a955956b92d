import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP response: its status code and whole body.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var body: [UInt8]
}

/// Why a request got no HTTP response: what `pull` retries, then reports as the source being unavailable.
package struct HTTPUnreachable: Error, CustomStringConvertible {
    /// A sentence for people: `connection refused`, `timed out after 30 s`, `TLS handshake failed: …`.
    package var description: String
}

/// Blocking GET requests over AsyncHTTPClient, for the synchronous jobs. One client (and its connection pool) per
/// source; `shutdown()` when done.
package final class HTTPFetcher: Sendable {
    private let client: HTTPClient
    /// Bodies larger than this are refused (a chunk that large should be made smaller).
    package static let maxBodyBytes = 1 << 30

    /// `caFile`: a PEM file of the certificate authorities to trust instead of the system's.
    /// `timeoutMs` bounds connecting too (a refused or unroutable address fails at once, not after the pool's retries).
    package init(caFile: String?, timeoutMs: Int64) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.decompression = .enabled(limit: .none)
        configuration.timeout.connect = .milliseconds(timeoutMs)
        // `pull` retries a whole request itself, with its own backoff; the pool would retry connecting until the
        // deadline and hide "connection refused" behind a timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A request on its way: `wait()` for its response (or the reason there is none).
    package struct Pending: Sendable {
        fileprivate let future: EventLoopFuture<HTTPClient.Response>?
        fileprivate let failure: HTTPUnreachable?

        package func wait() throws -> HTTPResponse {
            guard let future else { throw failure! }
            return try HTTPFetcher.response(try HTTPFetcher.unreachable { try future.wait() })
        }
    }

    /// GETs `url` with `headers`, waiting at most `timeoutMs` for the whole response.
    package func get(_ url: String, headers: [(String, String)], timeoutMs: Int64) throws -> HTTPResponse {
        try start(url, headers: headers, timeoutMs: timeoutMs).wait()
    }

    /// Sends the request and returns at once, so the caller can work while it is answered (`pull` imports one chunk
    /// while the server prepares the next).
    package func start(_ url: String, headers: [(String, String)], timeoutMs: Int64) -> Pending {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: .GET, headers: HTTPHeaders(headers))
        } catch {
            return Pending(future: nil, failure: HTTPUnreachable(description: "not a URL this client can request (\(error))"))
        }
        return Pending(future: client.execute(request: request, deadline: .now() + .milliseconds(timeoutMs)), failure: nil)
    }

    private static func unreachable<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as HTTPUnreachable { throw error } catch {
            throw HTTPUnreachable(description: Self.reason(error))
        }
    }

    private static func response(_ response: HTTPClient.Response) throws -> HTTPResponse {
        guard var body = response.body else { return HTTPResponse(status: Int(response.status.code), body: []) }
        guard body.readableBytes <= Self.maxBodyBytes else {
            throw HTTPUnreachable(description: "the response is larger than \(Self.maxBodyBytes) bytes")
        }
        return HTTPResponse(status: Int(response.status.code), body: body.readBytes(length: body.readableBytes) ?? [])
    }

    /// A client error as a short sentence, never with the request's headers.
    static func reason(_ error: Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout:
            return "timed out"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "the server closed the connection before the response was complete"
        case let error as HTTPParserError where error == .invalidEOFState:
            return "the server closed the connection before the response was complete"
        case let error as HTTPParserError:
            return "the response is not valid HTTP (\(error))"
        case is NIOSSLError, is BoringSSLError:
            return "TLS failed: \(error)"
        default:
            let text = "\(error)"
            if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
            return text
        }
    }

    package func shutdown() { try? client.syncShutdown() }
}
