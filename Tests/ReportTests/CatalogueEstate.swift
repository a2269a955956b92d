import Foundation

/// A scratch estate for the bad-input catalogues (`fixtures/errors/`, `fixtures/errors/metrics/`): an `sla.yaml` in
/// UTC with one service and the given `inputs`, and copies of the named catalogue files beside it.
enum CatalogueEstate {
    /// What `import` prints last when its only file was rejected.
    static let rejected = "slareport: error: 1 of 1 files rejected; nothing from them was stored\n"

    static func config(inputs: String) -> String {
        """
        version: 1
        timezone: UTC
        database: sla.db
        templates: \(TestSupport.packageRoot.appendingPathComponent("templates").path)
        providers: [{id: p}]
        customers: [{id: c}]
        services: [{id: api, provider: p}]
        leases: []
        inputs:
          \(inputs)
        """
    }

    static func make(inputs: String, copying names: [String], from folder: URL) throws -> URL {
        let dir = try TestSupport.temporaryDirectory("slareport-errors")
        try config(inputs: inputs).write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        for name in names {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }
}
