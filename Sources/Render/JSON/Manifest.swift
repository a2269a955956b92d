import Foundation

/// `manifest.json`: what fed a report and what it produced, with SHA-256 digests, for auditors.
///
/// One type writes it (`file`) and reads it back (`Manifest(decoding:)`, for `verify` and restatements), with one
/// list of member names (`CodingKeys`). `slareport verify DIR` works from it alone: `config.path` is the config
/// file's name (found in a folder above `DIR`, or given with `--config`), input paths are relative to the config's
/// folder, and `period` and `as_of` reproduce the report; the formats to recompute are those whose files
/// `outputs` lists.
public struct Manifest: Codable, Equatable, Sendable {
    public struct Input: Codable, Equatable, Sendable {
        public var path: String, sha256: String, kind: String, format: String, rows: Int
        public init(path: String, sha256: String, kind: String, format: String, rows: Int) {
            self.path = path
            self.sha256 = sha256
            self.kind = kind
            self.format = format
            self.rows = rows
        }
    }

    public struct Output: Codable, Equatable, Sendable {
        /// A file name in the report directory.
        public var path: String, sha256: String
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public struct Tool: Codable, Equatable, Sendable {
        public var name: String, version: String
    }

    public struct ConfigFile: Codable, Equatable, Sendable {
        public var path: String, sha256: String
    }

    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var tool: Tool
    public var period: String
    public var asOf: String
    public var config: ConfigFile
    /// Sorted by path, then SHA-256.
    public var inputs: [Input]
    /// Every file in the report directory but the manifest, sorted by name.
    public var outputs: [Output]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", tool, period, asOf = "as_of", config, inputs, outputs
    }

    public init(tool: ToolInfo, period: String, asOf: String, configPath: String, configSHA256: String,
                inputs: [Input], outputs: [(name: String, sha256: String)]) {
        self.schemaVersion = Self.schemaVersion
        self.tool = Tool(name: tool.name, version: tool.version)
        self.period = period
        self.asOf = asOf
        self.config = ConfigFile(path: configPath, sha256: configSHA256)
        self.inputs = inputs.sorted { ($0.path, $0.sha256) < ($1.path, $1.sha256) }
        self.outputs = outputs.sorted { $0.name < $1.name }.map { Output(path: $0.name, sha256: $0.sha256) }
    }

    /// The bytes of `manifest.json`: members in `CodingKeys` order, two-space indentation, as every other JSON
    /// file of a report is written (`JSONValue`), so the manifest is byte-identical across runs and platforms.
    public var file: RenderedFile {
        typealias K = CodingKeys
        let doc: JSONValue = .object([
            (K.schemaVersion.stringValue, .int(schemaVersion)),
            (K.tool.stringValue, .object([("name", .string(tool.name)), ("version", .string(tool.version))])),
            (K.period.stringValue, .string(period)),
            (K.asOf.stringValue, .string(asOf)),
            (K.config.stringValue, .object([("path", .string(config.path)), ("sha256", .string(config.sha256))])),
            (K.inputs.stringValue, .array(inputs.map { input in
                .object([("path", .string(input.path)), ("sha256", .string(input.sha256)), ("kind", .string(input.kind)),
                         ("format", .string(input.format)), ("rows", .int(input.rows))])
            })),
            (K.outputs.stringValue, .array(outputs.map { output in
                .object([("path", .string(output.path)), ("sha256", .string(output.sha256))])
            })),
        ])
        return RenderedFile(name: "manifest.json", contents: doc.bytes)
    }

    /// Reads `manifest.json`. A missing member, or one of the wrong type, is an error naming it
    /// (`inputs[2].rows is missing`); output names must be plain file names, since they are opened under the
    /// report directory.
    public init(decoding bytes: [UInt8]) throws(ManifestError) {
        do {
            self = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ManifestError(error)
        } catch {
            throw ManifestError(reason: "not JSON")
        }
        for (i, output) in outputs.enumerated() {
            let path = output.path
            guard !path.isEmpty, !path.contains("/"), !path.contains("\\"), path != ".", path != ".." else {
                throw ManifestError(reason: "outputs[\(i)].path \"\(path)\" is not a plain file name")
            }
        }
    }
}

/// Why a `manifest.json` could not be read: `inputs[0].rows is missing`.
public struct ManifestError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }

    init(_ error: DecodingError) {
        func path(_ keys: [CodingKey], _ last: CodingKey? = nil) -> String {
            var text = ""
            for key in keys + (last.map { [$0] } ?? []) {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the document" : text
        }
        switch error {
        case let .keyNotFound(key, context): reason = "\(path(context.codingPath, key)) is missing"
        case let .typeMismatch(_, context):
            reason = context.codingPath.isEmpty ? "not a JSON object" : "\(path(context.codingPath)) has the wrong type"
        case let .valueNotFound(_, context): reason = "\(path(context.codingPath)) is null"
        case let .dataCorrupted(context):
            reason = context.codingPath.isEmpty ? "not a JSON object" : "\(path(context.codingPath)) is not valid"
        @unknown default: reason = "not a manifest"
        }
    }

    public var description: String { reason }
}
