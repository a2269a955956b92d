import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

struct RowBatchTests {
    /// Seven rows in batches of three: two full batches as they fill, the seventh row at the end.
    @Test func fullBatchesAsTheyFillAndTheRestAtTheEnd() {
        var batch = RowBatch<Int>(size: 3)
        var handed: [[Int]] = []
        for row in 1...7 { batch.append(row) { handed.append($0) } }
        #expect(handed == [[1, 2, 3], [4, 5, 6]])
        #expect(batch.finish { handed.append($0) } == 7)
        #expect(handed == [[1, 2, 3], [4, 5, 6], [7]])
    }

    /// Nothing read, nothing handed on: no empty batch reaches the caller.
    @Test func anEmptyBatchIsNeverHandedOn() {
        var batch = RowBatch<Int>(size: 3)
        var calls = 0
        #expect(batch.finish { _ in calls += 1 } == 0)
        #expect(calls == 0)
    }
}
