import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A scripted HTTP server on 127.0.0.1 for `pull`'s failure cases: each request is answered by `reply` (connections
/// are served at once, each on its thread) and remembered (its target and headers) for the test to look at; with two
/// requests in flight their order in `received` may differ from the order they were sent.
final class FakePrometheus: @unchecked Sendable {
    enum Reply {
        /// A whole response.
        case respond(status: Int, body: String)
        /// A `Content-Length` promising more bytes than are sent before the connection closes.
        case truncated(body: String)
        /// Nothing for this long, then the connection closes.
        case hang(seconds: Double)
        /// The connection closes without a response.
        case close
    }

    struct Request {
        var target: String
        var headers: [String: String]

        /// The `time` parameter: the chunk's end.
        var time: String? { parameter("time") }
        /// The decoded `query` parameter.
        var query: String? { parameter("query") }

        func parameter(_ name: String) -> String? {
            URLComponents(string: "http://x" + target)?.queryItems?.first { $0.name == name }?.value
        }
    }

    let port: Int
    private let listener: Int32
    private let requests = Mutex<[Request]>([])
    private let reply: @Sendable (Request, Int) -> Reply
    private var thread: Thread?

    /// `reply(request, index)`: `index` counts requests from 0.
    private init(reply: @escaping @Sendable (Request, Int) -> Reply) throws {
        self.reply = reply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A started server.
    static func start(reply: @escaping @Sendable (Request, Int) -> Reply) throws -> FakePrometheus {
        let server = try FakePrometheus(reply: reply)
        let thread = Thread { server.serve() }
        server.thread = thread
        thread.start()
        return server
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var received: [Request] { requests.withLock { $0 } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            // Each connection on its own thread: `pull` asks for the next chunk on a second connection while the first
            // stays open for reuse.
            Thread { [self] in
                handle(connection)
                close(connection)
            }.start()
        }
    }

    private func handle(_ connection: Int32) {
        // Keep-alive clients send one request after another on one connection.
        var buffer: [UInt8] = []
        while true {
            guard let request = readRequest(connection, &buffer) else { return }
            let index = requests.withLock { list in
                list.append(request)
                return list.count - 1
            }
            switch reply(request, index) {
            case let .respond(status, body):
                send(connection, "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            case let .truncated(body):
                send(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count + 1000)\r\n\r\n\(body)")
                return
            case let .hang(seconds):
                usleep(useconds_t(seconds * 1_000_000))
                return
            case .close:
                return
            }
        }
    }

    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> Request? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<range.upperBound)
                let lines = head.components(separatedBy: "\r\n")
                let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                }
                return Request(target: target, headers: headers)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(connection, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            buffer += chunk[..<n]
        }
    }

    private func send(_ connection: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// A matrix body holding one sample of `name` one hour before the chunk's end, its value the end's hour count
    /// since the epoch: a counter that only grows.
    static func matrix(_ request: Request, name: String = "http_requests_total", service: String = "api",
                       warnings: [String] = []) -> String {
        let end = (try? Date(request.time ?? "", strategy: .iso8601)).map { Int64($0.timeIntervalSince1970) } ?? 0
        let warned = warnings.isEmpty ? "" : #","warnings":["# + warnings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        return #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"\#(name)","service":"\#(service)"},"values":[[\#(end - 3600),"\#(end / 3600)"]]}]}\#(warned)}"#
    }
}
