import Ingest
import Calc
import Foundation

/// Where `pull` keeps response bodies (SPEC §11): `archive/<source>/<selector-hash>/<start>--<end>.json`, one file per
/// settled time range, written once; a range that was not settled yet (its end within `settle` of the wall clock)
/// gets `<start>--<end>.unsettled-<sha256 prefix>.json`, one per distinct body, so a report made from it still
/// verifies after a later pull fetched the range again.
package struct PullArchive {
    package let root: URL

    package init(root: URL) { self.root = root }

    /// The folder of one selector of one source: the selector's SHA-256 prefix, so any selector text makes a file name.
    package func folder(source: String, selector: String) -> URL {
        root.appendingPathComponent(source).appendingPathComponent(Self.hash(selector))
    }

    package static func hash(_ selector: String) -> String {
        String(SHA256.hex(of: Data(selector.utf8)).prefix(16))
    }

    /// `2026-10-01T00:00:00Z--2026-10-01T06:00:00Z.json`.
    package static func settledName(_ range: Interval) -> String {
        Timestamp.format(range.start) + "--" + Timestamp.format(range.end) + ".json"
    }

    package static func unsettledName(_ range: Interval, sha256: String) -> String {
        Timestamp.format(range.start) + "--" + Timestamp.format(range.end) + ".unsettled-" + sha256.prefix(16) + ".json"
    }

    /// The settled ranges archived in `folder`, from their file names (other files are ignored).
    package static func settledRanges(in folder: URL) -> [Interval] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> Interval? in
            guard name.hasSuffix(".json"), !name.contains(".unsettled-") else { return nil }
            let parts = name.dropLast(5).components(separatedBy: "--")
            guard parts.count == 2, let start = try? Timestamp.parse(Substring(parts[0])),
                  let end = try? Timestamp.parse(Substring(parts[1])), start < end else { return nil }
            return Interval(start: start, end: end)
        }.sorted { $0.start < $1.start }
    }

    /// Whether `ranges` (sorted by start) cover `target` with no gap.
    package static func covers(_ ranges: [Interval], _ target: Interval) -> Bool {
        var reach = target.start
        for range in ranges where range.start <= reach && range.end > reach {
            reach = range.end
            if reach >= target.end { return true }
        }
        return reach >= target.end
    }

    /// The aligned chunks of `length` that cover `range`: multiples of `length` since the Unix epoch, so pulls of
    /// different periods meet the same chunks (and the same files).
    package static func chunks(covering range: Interval, length: Millis) -> [Interval] {
        guard !range.isEmpty else { return [] }
        var start = floorDiv(range.start, length) * length
        var out: [Interval] = []
        while start < range.end {
            out.append(Interval(start: start, end: start + length))
            start += length
        }
        return out
    }

    /// Writes `bytes` to `url` atomically: a temporary file beside it (`ReportDirectory.writeFile`, synced), renamed
    /// over it.
    package static func write(_ bytes: [UInt8], to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            unlink(temporary.path)   // one a killed pull of the same pid left
            try ReportDirectory.writeFile(bytes, to: temporary)
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary.path)
            throw Diagnostic(file: url.path, message: "cannot write the archive file: \(Diagnostic.reason(of: error))",
                             hint: "check that the archive folder is writable")
        }
    }
}
