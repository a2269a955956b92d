import Foundation

/// What an export holds: status observations (`import status`, `inputs.status`) or metric samples (`import
/// metrics`, `inputs.metrics`). The raw value is the import log's `kind`.
package enum InputKind: String, Hashable, Sendable, CaseIterable {
    case status, metrics
}

/// The formats one kind of export comes in. Each format knows how to recognise itself in a file's first bytes
/// (`detect`) and which reader reads it (`StatusFormat.reader`, `MetricFormat.reader`); the raw value is the name
/// `--format`, `inputs.*[].format`, the import log and the manifest use.
package protocol ImportFormat: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    static var kind: InputKind { get }
    /// What `auto` reads a file as when its content names no format (status: `csv`); such a file is not reported as
    /// detected. nil when `detect` must recognise every file it accepts.
    static var fallback: Self? { get }
    /// Looks at the start of the file and names its format; throws a `Diagnostic` when it cannot tell.
    static func detect(_ url: URL, name: String) throws -> Self
}

/// `auto` or one format, as `--format` and `inputs.status[].format` / `inputs.metrics[].format` spell it.
package enum FormatChoice<Format: ImportFormat>: Hashable, Sendable {
    /// Detect the format from the content.
    case auto
    case explicit(Format)

    /// The format to read `url` in, and whether `auto` chose it from the content (not when it fell back to
    /// `Format.fallback`).
    package func resolve(_ url: URL, name: String) throws -> (format: Format, detected: Bool) {
        switch self {
        case .explicit(let format):
            return (format, false)
        case .auto:
            let format = try Format.detect(url, name: name)
            return (format, format != Format.fallback)
        }
    }

    /// Every accepted spelling, in the order messages list them: `auto, csv, prometheus-json, …`.
    package static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension FormatChoice: RawRepresentable, CaseIterable {
    package init?(rawValue: String) {
        if rawValue == "auto" {
            self = .auto
        } else if let format = Format(rawValue: rawValue) {
            self = .explicit(format)
        } else {
            return nil
        }
    }

    package var rawValue: String {
        switch self {
        case .auto: "auto"
        case .explicit(let format): format.rawValue
        }
    }

    package static var allCases: [FormatChoice] { [.auto] + Format.allCases.map { .explicit($0) } }
}

/// A format of either kind, once chosen: what the import log records for a file (`kind`, `format`).
package enum InputFormat: Hashable, Sendable {
    case status(StatusFormat)
    case metrics(MetricFormat)

    package var kind: InputKind {
        switch self {
        case .status: .status
        case .metrics: .metrics
        }
    }

    /// The format's name: `csv`, `prometheus-json`, …
    package var name: String {
        switch self {
        case .status(let format): format.rawValue
        case .metrics(let format): format.rawValue
        }
    }
}

/// `auto` or a format, for a file of either kind: how a plan or a config input says to read a file.
package enum InputFormatChoice: Hashable, Sendable {
    case status(FormatChoice<StatusFormat>)
    case metrics(FormatChoice<MetricFormat>)

    package var kind: InputKind {
        switch self {
        case .status: .status
        case .metrics: .metrics
        }
    }

    /// `auto` or the format's name.
    package var name: String {
        switch self {
        case .status(let choice): choice.rawValue
        case .metrics(let choice): choice.rawValue
        }
    }

    /// `name` read as a choice for `kind`; nil when that kind has no such format.
    package init?(kind: InputKind, name: String) {
        switch kind {
        case .status: guard let choice = FormatChoice<StatusFormat>(rawValue: name) else { return nil }; self = .status(choice)
        case .metrics: guard let choice = FormatChoice<MetricFormat>(rawValue: name) else { return nil }; self = .metrics(choice)
        }
    }

    /// Every accepted spelling for `kind`, in the order messages list them.
    package static func names(_ kind: InputKind) -> String {
        switch kind {
        case .status: FormatChoice<StatusFormat>.names
        case .metrics: FormatChoice<MetricFormat>.names
        }
    }
}
