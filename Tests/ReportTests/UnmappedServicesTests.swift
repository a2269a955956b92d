import Testing
@testable import Ingest
@testable import Storage

/// SPEC §10.2: samples of services nothing configured are stored, and the summary line says how many and whose —
/// up to five on an import's line, every one on `check`'s.
@Suite struct UnmappedServicesTests {
    static func summary(_ services: [String], checkOnly: Bool) -> ImportSummary {
        var summary = ImportSummary(path: "x.csv", format: .status(.csv), sha256: "")
        summary.rows = services.count * 10
        summary.stored = summary.rows
        summary.checkOnly = checkOnly
        summary.unmapped = services.map { (service: $0, samples: 10) }
        return summary
    }

    @Test func importNamesFiveAndCountsTheRest() {
        let seven = ["a", "b", "c", "d", "e", "f", "g"]
        #expect(Self.summary(seven, checkOnly: false).line == "imported x.csv (csv): 70 rows, 70 new, 0 already stored, "
                + "0 replaced; 70 samples of \"a\", \"b\", \"c\", \"d\", \"e\" and 2 more, which no service's status_series names")
        #expect(Self.summary(seven, checkOnly: true).line == "ok x.csv (csv): 70 rows; 70 samples of \"a\", \"b\", \"c\", \"d\", "
                + "\"e\", \"f\" and \"g\", which no service's status_series names")
        #expect(Self.summary(["solo"], checkOnly: false).line.hasSuffix("; 10 samples of \"solo\", which no service's status_series names"))
        #expect(!Self.summary([], checkOnly: false).line.contains("status_series"))
    }
}
