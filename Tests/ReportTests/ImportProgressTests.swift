import Foundation
import Testing
@testable import Ingest
@testable import Pipeline

/// The progress line of §10.5: bytes, percent, rate and time left when the size is known; rows and rate for a
/// database; and the counter every text reader feeds.
struct ImportProgressTests {
    @Test func theLineSaysHowFarHowFastAndHowLong() {
        // 12 600 000 of 40 000 000 bytes in 1.5 s: 31 %, 8 400 000 B/s, 27 400 000 / 8 400 000 = 3.26 → 4 s left.
        #expect(ImportProgress.line("[1/3] a.csv", bytes: 12_600_000, rows: 0, size: 40_000_000, elapsedMs: 1_500)
                == "[1/3] a.csv: 12.6 of 40.0 MB (31 %), 8.4 MB/s, 4 s left")
        // 1 000 000 of 400 000 000 bytes in 2 s: 500 000 B/s, 399 000 000 / 500 000 = 798 s = 13 min 18 s.
        #expect(ImportProgress.line("b.json", bytes: 1_000_000, rows: 0, size: 400_000_000, elapsedMs: 2_000)
                == "b.json: 1.0 of 400.0 MB (0 %), 0.5 MB/s, 13 min 18 s left")
        #expect(ImportProgress.line("kuma.db", bytes: 0, rows: 120_000, size: 9_000_000, elapsedMs: 2_000)
                == "kuma.db: 120000 rows, 60000 rows/s")
        #expect(ImportProgress.line("a.csv", bytes: 0, rows: 0, size: 10, elapsedMs: 2_400) == "a.csv: importing… 2 s")
        #expect(ImportProgress.duration(3_720) == "1 h 02 min")
    }

    @Test func aReaderCountsTheBytesItReadsIntoTheCurrentCounter() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "timestamp,service,status\n" + (0..<1000).map { "2026-10-01T00:\(String(format: "%02d", $0 / 60)):\(String(format: "%02d", $0 % 60))Z,api,up\n" }.joined()
        let path = dir.appendingPathComponent("a.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let counter = ReadProgress()
        let rows = try ReadProgress.$current.withValue(counter) {
            try StatusFormat.csv.reader(path: path, displayName: "a.csv").parse { _ in }
        }
        #expect(rows == 1000)
        #expect(counter.bytes == text.utf8.count)
        // Outside `withValue` nothing is counted.
        _ = try StatusFormat.csv.reader(path: path, displayName: "a.csv").parse { _ in }
        #expect(counter.bytes == text.utf8.count)
    }
}
