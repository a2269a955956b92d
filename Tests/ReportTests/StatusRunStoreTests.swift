import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// The run store against a model that keeps one entry per sample: random files over two series, with samples on
/// and off the grid of earlier runs, duplicates, conflicts and replacements, imported one after another.
struct StatusRunStoreTests {
    struct Rows: StatusRowSource {
        var rows: [StatusRow]
        func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
            if !rows.isEmpty { try batch(rows) }
            return rows.count
        }
    }

    /// A small deterministic generator (the test must not depend on the platform's random numbers).
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let regions = ["", "eu"]

    @Test(arguments: 0..<40)
    func matchesSampleModel(seed: Int) throws {
        let dir = try TestSupport.temporaryDirectory()
        let store = try Store(path: dir.appendingPathComponent("sla.db"))
        var rng = LCG(state: UInt64(seed) &* 7919 &+ 17)
        var model: [String: [Millis: (status: ObservedStatus, file: String)]] = [:]
        let statuses: [ObservedStatus] = [.up, .up, .up, .down, .degraded]
        for fileNumber in 0..<6 {
            let file = "f\(fileNumber).csv"
            // Each series: ascending times in a random pattern (regular stretches of a random step, jumps).
            var perSeries: [[(Millis, ObservedStatus)]] = []
            for _ in Self.regions {
                var t = Millis(rng.next(40) * 10)
                var samples: [(Millis, ObservedStatus)] = []
                var status = statuses[rng.next(statuses.count)]
                let step = Millis([10, 20, 30][rng.next(3)])
                for _ in 0..<rng.next(30) {
                    samples.append((t, status))
                    if rng.next(5) == 0 { status = statuses[rng.next(statuses.count)] }
                    t += rng.next(6) == 0 ? Millis(10 * (1 + rng.next(7))) : step
                }
                perSeries.append(samples)
            }
            // Interleave the series at random, keeping each one's order.
            var rows: [StatusRow] = []
            var next = [0, 0]
            while next[0] < perSeries[0].count || next[1] < perSeries[1].count {
                var r = rng.next(2)
                if next[r] >= perSeries[r].count { r = 1 - r }
                let (t, status) = perSeries[r][next[r]]
                next[r] += 1
                rows.append(StatusRow(service: "api", region: Self.regions[r], time: t, status: status, line: rows.count + 2))
            }
            let replace = rng.next(2) == 0
            // What the model expects.
            var expected = ImportSummary(path: file, format: .status(.csv), sha256: "sha-\(fileNumber)")
            expected.rows = rows.count
            var conflict: String?
            var updated = model
            for row in rows {
                if let old = model[row.region]?[row.time] {
                    if old.status == row.status {
                        expected.duplicates += 1
                        continue
                    }
                    if !replace {
                        let name = row.region.isEmpty ? "api" : "api/\(row.region)"
                        conflict = "\(file):\(row.line):1: error: conflicts with a stored sample: \(name) at \(Timestamp.format(row.time)) "
                            + "is \(row.status.name) here but \(old.status.name) in \(old.file)"
                        break
                    }
                    expected.replaced += 1
                } else {
                    expected.stored += 1
                }
                updated[row.region, default: [:]][row.time] = (row.status, file)
            }
            do {
                let summary = try store.importStatus(from: Rows(rows: rows), format: .csv, recordedPath: file, displayName: file,
                                                     sha256: "sha-\(fileNumber)", replace: replace)
                #expect(conflict == nil, "seed \(seed) \(file): expected \(conflict ?? "")")
                let got: [Int] = [summary.rows, summary.stored, summary.duplicates, summary.replaced]
                let want: [Int] = [expected.rows, expected.stored, expected.duplicates, expected.replaced]
                #expect(got == want, "seed \(seed) \(file)")
                model = updated
            } catch let diagnostic as Diagnostic {
                #expect(conflict != nil && diagnostic.description.hasPrefix(conflict!), "seed \(seed): \(diagnostic) vs \(conflict ?? "none")")
            }
            try Self.check(store, model: model, seed: seed)
        }
    }

    static func check(_ store: Store, model: [String: [Millis: (status: ObservedStatus, file: String)]], seed: Int) throws {
        let series = try store.statusSeries(service: "api", from: -1000, to: 10_000)
        for region in regions {
            let stored = series.first { $0.region == region }?.samples ?? []
            let want = (model[region] ?? [:]).sorted { $0.key < $1.key }.map { StatusSample(time: $0.key, status: $0.value.status) }
            #expect(stored == want, "seed \(seed) region \(region)")
            // A window cut inside runs.
            let cut = try store.statusSeries(service: "api", from: 95, to: 205).first { $0.region == region }?.samples ?? []
            #expect(cut == want.filter { 95 <= $0.time && $0.time < 205 }, "seed \(seed) region \(region) cut")
            for t in stride(from: Millis(0), to: 1000, by: 10) {
                let got = try store.storedStatus(service: "api", region: region, time: t)
                let exp = model[region]?[t]
                let same = got?.status == exp?.status && got?.path == exp?.file
                #expect(same, "seed \(seed) \(region) at \(t)")
            }
        }
        let total = Int64(model.values.map(\.count).reduce(0, +))
        #expect(try store.statusSampleCount() == total)
        // Runs never overlap within a series.
        let s = try store.database.statement("SELECT series_id, t0, step, count FROM status_run ORDER BY series_id, t0")
        var previous: (Int64, Millis)?
        while try s.step() {
            let last = s.int(1) + s.int(2) * (s.int(3) - 1)
            if let (id, end) = previous, id == s.int(0) { #expect(end < s.int(1), "seed \(seed): overlapping runs") }
            let count = s.int(3), step = s.int(2)
            let single = count == 1, noStep = step == 0
            #expect(count >= 1 && single == noStep)
            previous = (s.int(0), last)
        }
    }
}
