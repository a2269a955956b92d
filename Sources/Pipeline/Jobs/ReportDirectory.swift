import Ingest
import Storage
import Render
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes report directories so that no reader ever sees one half-written.
///
/// Every directory is rendered into a hidden temporary sibling (`.2026-10.tmp-<pid>`), each file and the folder
/// flushed to disk, and then renamed into place in one step. A crash or `kill -9` at any moment leaves either
/// no directory or a complete one; the hidden leftovers are removed by the next write into the same folder.
package enum ReportDirectory {
    package static let manifestName = "manifest.json"
    package static let restatementName = "RESTATEMENT.md"

    /// What `publish` did.
    package enum Publication: Equatable {
        /// The first report for the period.
        case created(URL)
        /// The period had a report with other figures; this new version was written beside it.
        case restated(URL, previous: URL)
        /// The latest version already holds these bytes; nothing was written.
        case unchanged(URL)

        package var directory: URL {
            switch self {
            case let .created(url), let .restated(url, _), let .unchanged(url): url
            }
        }
    }

    // MARK: - Overwrite (`report --out`)

    /// Writes `files` as the directory `target`, atomically replacing whatever directory is there.
    package static func write(_ files: [RenderedFile], to target: URL) throws {
        let parent = target.deletingLastPathComponent()
        try failing(target) {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            removeStaleTemporaries(beside: target)
            let temporary = try stage(files, for: target)
            if FileManager.default.fileExists(atPath: target.path) {
                try replace(target, with: temporary)
            } else {
                try rename(temporary, to: target, replacing: false)
            }
            syncDirectory(parent)
        }
    }

    // MARK: - Versions and restatements (the config's output directory)

    /// Writes the period's report into `base` (`reports/2026-10`) without ever changing an existing version:
    /// identical to the latest version → nothing; different → a new version `2026-10.r2`, `.r3`, … beside it,
    /// with the file `restatement(previousVersion, itsFiles, newVersion)` added.
    /// `latest` is the latest version as the caller already read it (it is read again only if another has appeared).
    package static func publish(_ files: [RenderedFile], at base: URL, latest known: (url: URL, files: [String: [UInt8]])? = nil,
                        restatement: (URL, [String: [UInt8]], URL) throws -> RenderedFile) throws -> Publication {
        let parent = base.deletingLastPathComponent()
        return try failing(base) {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            removeStaleTemporaries(beside: base)
            // A concurrent writer can take the name we chose; then look again (a few times at most).
            for _ in 0..<8 {
                let existing = versions(of: base)
                guard let latest = existing.last else {
                    let temporary = try stage(files, for: base)
                    if try rename(temporary, to: base, replacing: false) {
                        syncDirectory(parent)
                        return .created(base)
                    }
                    try? FileManager.default.removeItem(at: temporary)
                    continue
                }
                let previous = known?.url == latest.url ? known!.files : try read(latest.url)
                if sameFigures(previous, files) { return .unchanged(latest.url) }
                let target = version(latest.number + 1, of: base)
                let notice = try restatement(latest.url, previous, target)
                let temporary = try stage(files + [notice], for: target)
                if try rename(temporary, to: target, replacing: false) {
                    syncDirectory(parent)
                    return .restated(target, previous: latest.url)
                }
                try? FileManager.default.removeItem(at: temporary)
            }
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: base.path])
        }
    }

    /// Version `n` of `base`: 1 is `base` itself, then `base.r2`, `base.r3`, …
    package static func version(_ n: Int, of base: URL) -> URL {
        n <= 1 ? base : base.deletingLastPathComponent().appendingPathComponent("\(base.lastPathComponent).r\(n)")
    }

    /// The existing versions of `base`, oldest first.
    package static func versions(of base: URL) -> [(number: Int, url: URL)] {
        let parent = base.deletingLastPathComponent()
        let name = base.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        var found: [(Int, URL)] = []
        for entry in names {
            let number: Int
            if entry == name {
                number = 1
            } else if entry.hasPrefix(name + ".r"), let n = Int(entry.dropFirst(name.count + 2)), n >= 2,
                      entry == "\(name).r\(n)" {
                number = n
            } else {
                continue
            }
            var isDirectory: ObjCBool = false
            let url = parent.appendingPathComponent(entry)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                found.append((number, url))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// The regular files of a directory, name → bytes.
    package static func read(_ directory: URL) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            out[name] = [UInt8](try Data(contentsOf: url))
        }
        return out
    }

    /// Whether `files` hold the same figures as an existing version: every report file of `existing` (not its
    /// manifest or restatement notice) is among `files` with the same bytes. `files` may hold more formats.
    package static func sameFigures(_ existing: [String: [UInt8]], _ files: [RenderedFile]) -> Bool {
        let ignored: Set<String> = [manifestName, restatementName]
        let new = Dictionary(files.map { ($0.name, $0.contents) }, uniquingKeysWith: { a, _ in a })
        let old = existing.filter { !ignored.contains($0.key) }
        return !old.isEmpty && old.allSatisfy { new[$0.key] == $0.value }
    }

    // MARK: - Temporary siblings

    /// `.2026-10.tmp-<pid>` for `2026-10`.
    package static func temporaryName(for target: URL, pid: Int32 = getpid()) -> String {
        ".\(target.lastPathComponent).tmp-\(pid)"
    }

    /// Removes hidden temporaries left beside `base` (or its versions) by writers that no longer run — a
    /// crash or `kill -9` mid-write. A directory set aside by the rename fallback is put back if its report is
    /// missing. Temporaries of a live process are left alone.
    package static func removeStaleTemporaries(beside base: URL) {
        let fm = FileManager.default
        let parent = base.deletingLastPathComponent()
        let name = base.lastPathComponent
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries.filter({ $0.hasPrefix(".\(name)") }).sorted() {
            for marker in [".tmp-", ".old-"] {
                guard let range = entry.range(of: marker, options: .backwards),
                      let pid = Int32(entry[range.upperBound...]), pid > 0 else { continue }
                let owner = String(entry[entry.index(after: entry.startIndex)..<range.lowerBound])
                guard owner == name || (owner.hasPrefix(name + ".r") && Int(owner.dropFirst(name.count + 2)) != nil) else { continue }
                guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
                let url = parent.appendingPathComponent(entry)
                let report = parent.appendingPathComponent(owner)
                if marker == ".old-", !fm.fileExists(atPath: report.path) {
                    try? fm.moveItem(at: url, to: report)
                } else {
                    try? fm.removeItem(at: url)
                }
            }
        }
    }

    /// Writes `files` into a fresh hidden sibling of `target`, every file and the folder flushed.
    private static func stage(_ files: [RenderedFile], for target: URL) throws -> URL {
        let temporary = target.deletingLastPathComponent().appendingPathComponent(temporaryName(for: target))
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        do {
            for file in files {
                precondition(!file.name.contains("/") && file.name != "." && file.name != "..", "bad output name \(file.name)")
                try writeFile(file.contents, to: temporary.appendingPathComponent(file.name))
            }
            syncDirectory(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return temporary
    }

    /// Creates `url` (it must not exist), writes `bytes` and syncs them: what an atomic write puts in its temporary file.
    static func writeFile(_ bytes: [UInt8], to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw posixError(url) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError(url)
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw posixError(url) }
    }

    private static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    // MARK: - Renames

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2` (not in Swift's Glibc module), looked up once; nil where the C library lacks it.
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    private static let renameNoReplace: UInt32 = 1
    private static let renameExchange: UInt32 = 2

    /// Renames `from` to `to`; false (nothing renamed) when `to` exists and `replacing` is false.
    @discardableResult
    private static func rename(_ from: URL, to: URL, replacing: Bool) throws -> Bool {
        if !replacing, let renameat2 {
            if renameat2(AT_FDCWD, from.path, AT_FDCWD, to.path, renameNoReplace) == 0 { return true }
            if errno == EEXIST || errno == ENOTEMPTY { return false }
            guard errno == EINVAL || errno == ENOSYS else { throw posixError(to) }
        }
        if !replacing && FileManager.default.fileExists(atPath: to.path) { return false }
        // rename(2) never replaces a non-empty directory, and report directories are never empty.
        guard Glibc.rename(from.path, to.path) == 0 else {
            if errno == EEXIST || errno == ENOTEMPTY { return false }
            throw posixError(to)
        }
        return true
    }

    /// Puts the complete directory `temporary` in place of `target` in one step (`RENAME_EXCHANGE`), then
    /// removes the old one. Without exchange support: move the old aside, move the new in, remove the old.
    private static func replace(_ target: URL, with temporary: URL) throws {
        if let renameat2 {
            if renameat2(AT_FDCWD, temporary.path, AT_FDCWD, target.path, renameExchange) == 0 {
                try FileManager.default.removeItem(at: temporary)  // now holds the old report
                return
            }
            guard errno == EINVAL || errno == ENOSYS else { throw posixError(target) }
        }
        let old = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
        try? FileManager.default.removeItem(at: old)
        try FileManager.default.moveItem(at: target, to: old)
        try FileManager.default.moveItem(at: temporary, to: target)
        try FileManager.default.removeItem(at: old)
    }

    private static func posixError(_ url: URL) -> Error {
        let code = errno
        return CocoaError(.fileWriteUnknown, userInfo: [
            NSFilePathErrorKey: url.path,
            NSLocalizedDescriptionKey: "\(url.path): \(String(cString: strerror(code)))",
        ])
    }

    /// Runs `body`; any failure becomes exit 73 naming the report directory.
    private static func failing<T>(_ target: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [Diagnostic(
                file: target.path, message: "cannot write the report: \(Diagnostic.reason(of: error))",
                hint: "check that the folder above it exists and is writable; nothing was written")])
        }
    }
}
