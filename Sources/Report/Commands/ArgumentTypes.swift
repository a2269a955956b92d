import ArgumentParser
import Calc
import Render

/// Arguments parsed into their types once, where ArgumentParser reads them: a bad value is a usage error (exit 64)
/// that names the option, and `validate()`/`run()` never parse the same text again.
enum ParsedArgument {
    /// `2026-10`, `2026-Q4`, `2026-10-01..2026-10-15`, `last-month`, `last-quarter`.
    static func period(_ text: String) throws -> PeriodSpec {
        do { return try PeriodSpec(text) } catch { throw ValidationError(error.reason) }
    }

    /// An RFC 3339 instant with an offset. (ArgumentParser names the option in the message.)
    static func instant(_ text: String) throws -> Millis {
        do throws(TimeParseError) {
            return try Timestamp.parse(Substring(text))
        } catch {
            throw ValidationError(error.reason)
        }
    }

    /// A comma-separated list of report formats; an empty list asks for nothing and is refused.
    static func formats(_ text: String) throws -> [ReportRenderer.Format] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !text.isEmpty else { throw ValidationError("no format given (expected md, csv, json, xlsx)") }
        return try names.map { name in
            guard let format = ReportRenderer.Format(rawValue: String(name)) else {
                throw ValidationError("unknown format \"\(name)\" (expected md, csv, json, xlsx)")
            }
            return format
        }
    }
}
