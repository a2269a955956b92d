import Foundation
import Testing
@testable import Render

@Suite struct ManifestTests {
    static let manifest = Manifest(
        tool: ToolInfo(name: "slareport", version: "9.9"), period: "2026-10", asOf: "2026-11-01T00:00:00Z",
        configPath: "sla.yaml", configSHA256: String(repeating: "a", count: 64),
        inputs: [Manifest.Input(path: "exports/b.csv", sha256: "2", kind: "status", format: "csv", rows: 7),
                 Manifest.Input(path: "exports/a.json", sha256: "1", kind: "metrics", format: "prometheus-json", rows: 3)],
        outputs: [("uptime.csv", "u"), ("report.json", "r")])

    /// What `file` writes, `Manifest(decoding:)` reads back as the same value (inputs and outputs sorted).
    @Test func writtenThenReadIsTheSameManifest() throws {
        let bytes = Self.manifest.file.contents
        let read = try Manifest(decoding: bytes)
        #expect(read == Self.manifest)
        #expect(read.inputs.map(\.path) == ["exports/a.json", "exports/b.csv"])
        #expect(read.outputs.map(\.path) == ["report.json", "uptime.csv"])
        #expect(read.file.contents == bytes)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("{\n  \"schema_version\": 1,\n  \"tool\": {"))
    }

    /// A member missing or of the wrong type is named with its path.
    @Test func aBrokenManifestNamesTheMember() throws {
        var text = String(decoding: Self.manifest.file.contents, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"rows\": 3", with: "\"lines\": 3")
        #expect(throws: ManifestError(reason: "inputs[0].rows is missing")) { try Manifest(decoding: Array(text.utf8)) }
        let wrongType = String(decoding: Self.manifest.file.contents, as: UTF8.self)
            .replacingOccurrences(of: "\"period\": \"2026-10\"", with: "\"period\": 202610")
        #expect(throws: ManifestError(reason: "period has the wrong type")) { try Manifest(decoding: Array(wrongType.utf8)) }
        #expect(throws: ManifestError(reason: "not a JSON object")) { try Manifest(decoding: Array("[1, 2]".utf8)) }
        let escaping = String(decoding: Self.manifest.file.contents, as: UTF8.self)
            .replacingOccurrences(of: "\"path\": \"uptime.csv\"", with: "\"path\": \"../uptime.csv\"")
        #expect(throws: ManifestError(reason: "outputs[1].path \"../uptime.csv\" is not a plain file name")) {
            try Manifest(decoding: Array(escaping.utf8))
        }
    }
}
