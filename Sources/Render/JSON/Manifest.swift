/// `manifest.json`: what fed a report and what it produced, with SHA-256 digests, for auditors.
///
/// `slareport verify DIR` works from it alone: `config.path` is the config file's name (found in a folder above
/// `DIR`, or given with `--config`), input paths are relative to the config's folder, and `period` and `as_of`
/// reproduce the report; the formats to recompute are those whose files `outputs` lists.
public struct Manifest: Sendable {
    public struct Input: Sendable {
        public var path: String, sha256: String, kind: String, format: String, rows: Int
        public init(path: String, sha256: String, kind: String, format: String, rows: Int) {
            self.path = path
            self.sha256 = sha256
            self.kind = kind
            self.format = format
            self.rows = rows
        }
    }

    public var tool: ToolInfo
    public var period: String
    public var asOf: String
    public var configPath: String
    public var configSHA256: String
    public var inputs: [Input]
    /// Output file name → SHA-256, for every file in the report directory but the manifest.
    public var outputs: [(name: String, sha256: String)]

    public init(tool: ToolInfo, period: String, asOf: String, configPath: String, configSHA256: String,
                inputs: [Input], outputs: [(name: String, sha256: String)]) {
        self.tool = tool
        self.period = period
        self.asOf = asOf
        self.configPath = configPath
        self.configSHA256 = configSHA256
        self.inputs = inputs
        self.outputs = outputs
    }

    public var file: RenderedFile {
        let doc: JSONValue = .object([
            ("schema_version", .int(1)),
            ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version))])),
            ("period", .string(period)),
            ("as_of", .string(asOf)),
            ("config", .object([("path", .string(configPath)), ("sha256", .string(configSHA256))])),
            ("inputs", .array(inputs.sorted { ($0.path, $0.sha256) < ($1.path, $1.sha256) }.map { input in
                .object([("path", .string(input.path)), ("sha256", .string(input.sha256)), ("kind", .string(input.kind)),
                         ("format", .string(input.format)), ("rows", .int(input.rows))])
            })),
            ("outputs", .array(outputs.sorted { $0.name < $1.name }.map { output in
                .object([("path", .string(output.name)), ("sha256", .string(output.sha256))])
            })),
        ])
        return RenderedFile(name: "manifest.json", contents: doc.bytes)
    }
}
