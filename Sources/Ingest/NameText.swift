import Foundation

/// The rules every reader applies to the names that become series: services, regions, Uptime Kuma monitors,
/// Statuspage components, metric label values (issue 12 §6, docs/DECISIONS.md "Bad bytes").
///
/// - **No control characters.** U+0000–U+001F (tab and line breaks included), U+007F and U+0080–U+009F are refused:
///   a NUL was cut off on its way into SQLite (the samples landed under another series), a line break splits a
///   message or a CSV cell, and XLSX (XML 1.0) cannot hold most of them. Checked on the bytes, so only the first
///   occurrence of each distinct name costs anything.
/// - **One identity: NFC.** Names are normalised to Unicode NFC as they are read. Swift's `String ==` compares
///   canonically (`café` written precomposed and decomposed are equal) while SQLite compares bytes; with every name
///   in NFC the two agree, so a file's in-order check, the store's series and the report all see one series.
package enum NameText {
    /// The first control character in `bytes` (UTF-8): its scalar value and byte offset; nil when there is none.
    package static func firstControl(_ bytes: UnsafeBufferPointer<UInt8>) -> (scalar: UInt32, offset: Int)? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b == 0x7F { return (UInt32(b), i) }
            // U+0080–U+009F are C2 80 … C2 9F.
            if b == 0xC2, i + 1 < n, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return (UInt32(bytes[i + 1]), i) }
            i += 1
        }
        return nil
    }

    /// The first control character in `text`: its scalar value and UTF-8 byte offset; nil when there is none.
    package static func firstControl(_ text: String) -> (scalar: UInt32, offset: Int)? {
        var text = text
        return text.withUTF8 { firstControl($0) }
    }

    /// Whether `scalar` is one of the characters a name may not hold.
    package static func isControl(_ scalar: UInt32) -> Bool { scalar < 0x20 || (scalar >= 0x7F && scalar <= 0x9F) }

    /// `service "a\u{0}pi" contains the control character U+0000 (…)`; `what` names the field (`service`,
    /// `label code of http_requests_total{…}`).
    package static func controlMessage(_ what: String, _ text: String, scalar: UInt32) -> String {
        "\(what) \(MessageText.quoted(text)) contains the control character U+\(JSONTokenizer.hex(scalar, 4)) "
            + "(names may not contain control characters, tabs and line breaks included)"
    }

    /// `text` in Unicode NFC; ASCII (most names) is returned as it is without calling Foundation.
    package static func canonical(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        let normalised = text.precomposedStringWithCanonicalMapping
        // Keep the original storage when nothing changed (the common case for non-ASCII names already in NFC).
        return normalised.utf8.elementsEqual(text.utf8) ? text : normalised
    }

    /// Where the byte at `offset` of a CSV field's content is in the file: the field's own line and column, moved
    /// past the opening quote and the doubled quotes before it. (No line break can come before a control character:
    /// a line break is one.)
    package static func place(of offset: Int, in content: UnsafeBufferPointer<UInt8>, field: CSVField) -> (line: Int, column: Int) {
        var column = field.column + (field.isQuoted ? 1 : 0)
        for k in 0..<min(offset, content.count) { column += content[k] == UInt8(ascii: "\"") && field.isQuoted ? 2 : 1 }
        return (field.line, column)
    }
}

/// Any status source, its series names checked as the store receives them: a name with a control character is refused
/// at the first row that uses it (the line, or what the source's `location(ofRow:)` says). The readers with lines and
/// columns check their names themselves, pointing at the character; this is the rule for every reader, so none can
/// let such a name into the store.
package struct NameCheckedStatusSource: StatusRowSource {
    package let source: StatusRowSource
    package let displayName: String

    package init(source: StatusRowSource, displayName: String) {
        self.source = source
        self.displayName = displayName
    }

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        var checked = Set<StatusSeriesName>()
        return try source.parse { rows in
            for row in rows {
                let name = StatusSeriesName(service: row.service, region: row.region)
                if checked.insert(name).inserted, let problem = Self.problem(name) {
                    throw Diagnostic(file: displayName, location: source.location(ofRow: row.line), message: problem)
                }
            }
            try batch(rows)
        }
    }

    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        var checked = 0
        var refused: [Int32: String] = [:]
        return try source.parseCompact { rows in
            while checked < rows.series.count {
                if let problem = Self.problem(rows.series[checked]) { refused[Int32(checked)] = problem }
                checked += 1
            }
            if !refused.isEmpty, let row = rows.rows.first(where: { refused[$0.series] != nil }) {
                throw Diagnostic(file: displayName, location: source.location(ofRow: row.line), message: refused[row.series]!)
            }
            try batch(&rows)
        }
    }

    package func location(ofRow number: Int) -> Diagnostic.Location { source.location(ofRow: number) }
    package func warnings() throws -> [Diagnostic] { try source.warnings() }

    static func problem(_ name: StatusSeriesName) -> String? {
        if let (scalar, _) = NameText.firstControl(name.service) { return NameText.controlMessage("service", name.service, scalar: scalar) }
        if let (scalar, _) = NameText.firstControl(name.region) { return NameText.controlMessage("region", name.region, scalar: scalar) }
        return nil
    }
}

/// Any metric source, its series checked as the store receives them (`MetricSeriesKey.controlProblem`): refused at
/// the first row of a series with a control character in a label value, whichever reader read it.
package struct NameCheckedMetricSource: MetricRowSource {
    package let source: MetricRowSource
    package let displayName: String

    package init(source: MetricRowSource, displayName: String) {
        self.source = source
        self.displayName = displayName
    }

    package func parse(batch: ([MetricRow]) throws -> Void) throws -> Int {
        try source.parse { rows in
            if let row = rows.first(where: { $0.series.controlProblem != nil }) {
                throw Diagnostic(file: displayName, line: row.line, message: row.series.controlProblem!)
            }
            try batch(rows)
        }
    }

    package func warnings() throws -> [Diagnostic] { try source.warnings() }
}
