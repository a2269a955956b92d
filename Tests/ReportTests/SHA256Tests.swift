import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// File hashing maps the file in windows; these pin it to the standard digests and to hashing the same bytes in memory.
@Suite struct SHA256Tests {
    @Test func knownDigestsOfSmallFiles() throws {
        let dir = try TestSupport.temporaryDirectory("sha256")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty"), abc = dir.appendingPathComponent("abc")
        try Data().write(to: empty)
        try Data("abc".utf8).write(to: abc)
        // FIPS 180-2 test vectors.
        #expect(try SHA256.hex(ofFileAt: empty.path) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try SHA256.hex(ofFileAt: abc.path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aFileSpanningSeveralMappingWindowsHashesLikeItsBytes() throws {
        let dir = try TestSupport.temporaryDirectory("sha256")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two full windows and a partial third, with bytes that differ from window to window.
        let size = 2 * SHA256.mapWindow + 12_345
        var bytes = [UInt8](repeating: 0, count: size)
        for i in 0..<size { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 16) }
        let url = dir.appendingPathComponent("big")
        try Data(bytes).write(to: url)
        #expect(try SHA256.hex(ofFileAt: url.path) == SHA256.hex(of: Data(bytes)))
    }

    @Test func aPipeIsReadInChunks() throws {
        let pipe = Pipe()
        let payload = Data(repeating: 0x61, count: 3 << 20)
        let writer = Thread {
            pipe.fileHandleForWriting.write(payload)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let path = "/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        #expect(try SHA256.hex(ofFileAt: path) == SHA256.hex(of: payload))
    }

    @Test func aMissingFileThrows() {
        #expect(throws: (any Error).self) { try SHA256.hex(ofFileAt: "/nonexistent/slareport-sha256") }
    }
}
