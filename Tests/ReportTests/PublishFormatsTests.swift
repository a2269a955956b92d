import Foundation
import Testing
@testable import Calc
@testable import Pipeline
@testable import Render

/// SPEC §10.3: the latest version decides what is compared. Asking for fewer or other formats of the same figures
/// writes nothing and says so; when a figure differs, the new version holds both sets of formats.
@Suite struct PublishFormatsTests {
    typealias Lines = ImporterTests.Lines

    static func publish(_ configURL: URL, _ formats: [ReportRenderer.Format], lines: Lines) throws -> ReportDirectory.Publication {
        let config = try Config.load(path: configURL.path)
        return try ReportJob(config: config, context: InProcess.context(log: lines.log))
            .publishReport(period: try PeriodSpec("2026-10"), formats: formats, asOf: nil)
    }

    @Test func otherFormatsOfTheSameFiguresWriteNothing() throws {
        let (root, configURL) = try TestSupport.estateCopy()
        let config = try Config.load(path: configURL.path)
        try InProcess.importExports(config: config, status: try TestSupport.statusExports(under: configURL),
                                    metrics: try TestSupport.exports(under: configURL, kind: "metrics"))
        let lines = Lines()
        let first = try Self.publish(configURL, [.csv], lines: lines)
        let reports = root.appendingPathComponent("estate/reports")
        guard case .created(let created) = first else { Issue.record("not created: \(first)"); return }
        #expect(created.standardizedFileURL.path == reports.appendingPathComponent("2026-10").standardizedFileURL.path)

        // The same figures in fewer formats, or in another one: nothing written, and the line says why.
        for formats: [ReportRenderer.Format] in [[.json], [.csv, .json], [.md, .xlsx]] {
            guard case .unchanged(let same) = try Self.publish(configURL, formats, lines: lines) else {
                Issue.record("\(formats): a new version was written"); return
            }
            #expect(same.lastPathComponent == "2026-10")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted() == ["2026-10"])
        #expect(lines.all.last?.hasSuffix("already holds this report (nothing written); it has no md, xlsx files, and the "
                                          + "same figures make no new version (write other formats with report --out DIR)") == true)

        // A changed fee changes credits: the restatement holds the CSVs it compares and the JSON asked for.
        let yaml = try String(contentsOf: configURL, encoding: .utf8)
            .replacingOccurrences(of: "monthly_fee: \"1200.00\"", with: "monthly_fee: \"1300.00\"")
        try yaml.write(to: configURL, atomically: true, encoding: .utf8)
        let restated = try Self.publish(configURL, [.json], lines: lines)
        guard case .restated(let r2, _) = restated else { Issue.record("not restated: \(restated)"); return }
        #expect(r2.lastPathComponent == "2026-10.r2")
        let names = try FileManager.default.contentsOfDirectory(atPath: reports.appendingPathComponent("2026-10.r2").path).sorted()
        #expect(names.contains("credits.csv") && names.contains("report.json") && names.contains("RESTATEMENT.md"))
        #expect(!names.contains("report.md"))
    }
}
