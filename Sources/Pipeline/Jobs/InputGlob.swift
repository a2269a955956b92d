import Ingest
import Storage
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A path pattern from the config's `inputs`: `*` (any run of characters but `/`), `?` (one character but
/// `/`) and a whole `**` segment (any number of folders, also none); every other character is itself.
///
/// As in a shell, `*` and `?` do not match a leading `.` of a name, so hidden files (editor swap files,
/// `.partial` downloads) are never imported by accident. Symbolic links are followed (a folder reached
/// twice through links is walked once). Only regular files match.
package struct InputGlob {
    package let pattern: String
    private let segments: [Substring]

    package init(_ pattern: String) {
        self.pattern = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// True when the pattern has no wildcard: it names one file, which must exist.
    package var isLiteral: Bool { !pattern.contains(where: { $0 == "*" || $0 == "?" }) }

    /// The files matching the pattern under `base` (for a relative pattern), as paths in the pattern's own
    /// form (`exports/status/a.csv`, or absolute for an absolute pattern), sorted by their bytes.
    package func matches(relativeTo base: URL) throws -> [String] {
        let absolute = pattern.hasPrefix("/")
        var walker = Walker(segments: segments)
        try walker.walk(directory: absolute ? "/" : base.path, shown: absolute ? "/" : "", index: 0)
        return walker.found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Whether `path` (in the pattern's own form: relative, or absolute for an absolute pattern) matches the pattern.
    package func matches(path: String) -> Bool {
        Self.matches(path.split(separator: "/", omittingEmptySubsequences: true)[...], segments[...])
    }

    private static func matches(_ names: ArraySlice<Substring>, _ pattern: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return names.isEmpty }
        if first == "**" {
            // Any number of folders, also none.
            for skip in 0...names.count where matches(names.dropFirst(skip), pattern.dropFirst()) { return true }
            return false
        }
        guard let name = names.first, matches(name, segment: first) else { return false }
        return matches(names.dropFirst(), pattern.dropFirst())
    }

    /// Whether `name` (one path segment) matches `segment`.
    package static func matches(_ name: Substring, segment: Substring) -> Bool {
        let p = Array(segment.utf8), n = Array(name.utf8)
        if n.first == UInt8(ascii: "."), let first = p.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "?") {
            return false
        }
        // Iterative wildcard match with one backtrack point for the last `*`: linear in practice.
        var pi = 0, ni = 0
        var starP = -1, starN = 0
        while ni < n.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || (p[pi] != UInt8(ascii: "*") && p[pi] == n[ni])) {
                pi += 1
                ni += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                starP = pi
                starN = ni
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starN += 1
                ni = starN
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    private struct Walker {
        let segments: [Substring]
        var found = Set<String>()
        /// Folders already walked for a `**`, by segment index, device and inode, so link cycles end.
        var visited = Set<[UInt64]>()

        enum Kind { case file, directory, other }

        static func kind(_ path: String) -> (Kind, [UInt64]) {
            var info = stat()
            guard stat(path, &info) == 0 else { return (.other, []) }
            let id = [UInt64(info.st_dev), UInt64(info.st_ino)]
            switch info.st_mode & S_IFMT {
            case S_IFREG: return (.file, id)
            case S_IFDIR: return (.directory, id)
            default: return (.other, id)
            }
        }

        static func join(_ a: String, _ b: String) -> String {
            a.isEmpty ? b : a.hasSuffix("/") ? a + b : a + "/" + b
        }

        func entries(_ directory: String, shown: String) throws -> [String] {
            do {
                return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                throw Diagnostic(file: shown.isEmpty ? "." : shown, message:
                    "cannot read the folder while matching input patterns: \(Diagnostic.reason(of: error)) (check its permissions)")
            }
        }

        mutating func walk(directory: String, shown: String, index: Int) throws {
            guard index < segments.count else { return }
            let segment = segments[index]
            let last = index == segments.count - 1
            if segment == "**" {
                if last {  // a trailing `**` matches every file below
                    try walk(directory: directory, shown: shown, index: index, everything: true)
                    return
                }
                guard visited.insert([UInt64(index)] + Self.kind(directory).1).inserted else { return }
                try walk(directory: directory, shown: shown, index: index + 1)
                for name in try entries(directory, shown: shown) where !name.hasPrefix(".") {
                    let path = Self.join(directory, name)
                    if Self.kind(path).0 == .directory {
                        try walk(directory: path, shown: Self.join(shown, name), index: index)
                    }
                }
                return
            }
            let wild = segment.contains(where: { $0 == "*" || $0 == "?" })
            let names: [String]
            if wild {
                guard Self.kind(directory).0 == .directory else { return }
                names = try entries(directory, shown: shown).filter { InputGlob.matches(Substring($0), segment: segment) }
            } else {
                names = [String(segment)]
            }
            for name in names {
                let path = Self.join(directory, name)
                let kind = Self.kind(path).0
                if last {
                    if kind == .file { found.insert(Self.join(shown, name)) }
                } else if kind == .directory {
                    try walk(directory: path, shown: Self.join(shown, name), index: index + 1)
                }
            }
        }

        /// Every file below `directory` (a trailing `**`), hidden names excepted.
        mutating func walk(directory: String, shown: String, index: Int, everything: Bool) throws {
            guard visited.insert([UInt64(index)] + Self.kind(directory).1).inserted else { return }
            for name in try entries(directory, shown: shown) where !name.hasPrefix(".") {
                let path = Self.join(directory, name)
                switch Self.kind(path).0 {
                case .file: found.insert(Self.join(shown, name))
                case .directory: try walk(directory: path, shown: Self.join(shown, name), index: index, everything: true)
                case .other: break
                }
            }
        }
    }
}
