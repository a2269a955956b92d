import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Memory stays bounded while importing (SPEC §8): a ~300 MB export imports under an address-space limit
/// smaller than the file. Generated into a scratch folder and deleted afterwards.
@Suite(.serialized)
struct LargeImportTests {
    /// 1 400 000 rows of 218 bytes (10-digit epoch, service, status 1 or 0, a 200-byte message) + the 33-byte
    /// header: 305 200 033 bytes.
    static let rows = 1_400_000
    /// The binary's own libraries (Foundation, ICU, the Swift runtime) take about 85 MiB of address space
    /// before it reads a byte (below 80 MiB it cannot even load); 128 MiB leaves ~40 MiB for the import.
    static let addressSpaceLimit = 128 << 20

    static func generate(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("timestamp,service,status,message\n".utf8))
        // Two row templates (status 1 = up, 0 = down); only the timestamp digits change from row to row.
        let message = String(("probe ok from eu-central-1 via anycast edge; tls 1.3; http/2; " + String(repeating: "0123456789", count: 14)).prefix(200))
        let up = Array("0000000000,svc,1,\(message)\n".utf8)
        let down = Array("0000000000,svc,0,\(message)\n".utf8)
        precondition(up.count == 218)
        let perChunk = 20_000
        var chunk = [UInt8](repeating: 0, count: perChunk * up.count)
        var row = 0
        while row < rows {
            let n = min(perChunk, rows - row)
            chunk.withUnsafeMutableBufferPointer { buffer in
                for k in 0..<n {
                    let i = row + k
                    let base = k * up.count
                    let template = i % 1000 == 999 ? down : up  // every 1 000th sample is down
                    template.withUnsafeBufferPointer { t in
                        UnsafeMutableRawPointer(buffer.baseAddress! + base).copyMemory(from: t.baseAddress!, byteCount: t.count)
                    }
                    var t = 1_790_812_800 + i * 2  // from 2026-10-01T00:00:00Z, every 2 s
                    for j in stride(from: 9, through: 0, by: -1) {
                        buffer[base + j] = UInt8(ascii: "0") + UInt8(t % 10)
                        t /= 10
                    }
                }
            }
            try handle.write(contentsOf: chunk[0..<(n * up.count)])
            row += n
        }
    }

    @Test(.enabled(if: TestSupport.runs(needing: "/usr/bin/prlimit")), .timeLimit(.minutes(5)))
    func a300MegabyteExportImportsUnderA128MiBLimit() throws {
        let dir = try TestSupport.temporaryDirectory("slareport-large")
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            version: 1
            timezone: UTC
            database: sla.db
            providers: [{id: p}]
            customers: [{id: c}]
            services: [{id: svc, provider: p}]
            leases: []
            """.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        let csv = dir.appendingPathComponent("big.csv")
        try Self.generate(csv)
        let size = try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? Int ?? 0
        #expect(size == 305_200_033)
        #expect(size > Self.addressSpaceLimit * 2)

        // prlimit execs the binary in its own process: poll that pid's resident high-water mark.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--as=\(Self.addressSpaceLimit)", "--", TestSupport.binary.path,
                             "import", "status", "big.csv", "--config", "sla.yaml"]
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        var peakKiB = 0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) {
                peakKiB = max(peakKiB, kib)
            }
            usleep(50_000)
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        print("large import: \(size) bytes in \(String(format: "%.1f", seconds)) s under --as=\(Self.addressSpaceLimit >> 20) MiB; "
              + "peak resident \(peakKiB / 1024) MiB")
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stderr == "imported big.csv (csv): 1400000 rows, 1400000 new, 0 already stored, 0 replaced\n")
        #expect(peakKiB < 100 * 1024)

        let db = try Database(path: dir.appendingPathComponent("sla.db").path, readOnly: true)
        #expect(try db.statusSampleCount() == 1_400_000)
        #expect(try db.statusSampleCount(status: .down) == 1_400)  // every 1 000th sample is down
    }
}
