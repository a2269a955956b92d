/// One output file, in memory. Only the Report target writes files to disk.
public struct RenderedFile: Equatable, Sendable {
    public var name: String
    public var contents: [UInt8]
    public init(name: String, contents: [UInt8]) {
        self.name = name
        self.contents = contents
    }
    public init(name: String, text: String) {
        self.init(name: name, contents: Array(text.utf8))
    }
}
