import Foundation
import Testing

/// Helpers for end-to-end tests that run the real `slareport` binary.
enum TestSupport {
    /// The package root (this file is Tests/ReportTests/TestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("fixtures")

    /// Under CI (`CI=true`) a test that needs a tool or a server runs and fails without it; it never skips silently.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether a test that needs the executable at `path` runs: always under CI (where its absence is a failure,
    /// the setup script installs it), else only when it is there.
    static func runs(needing path: String) -> Bool { isCI || FileManager.default.isExecutableFile(atPath: path) }

    /// Gives up on a test whose tool or server cannot be had: cancelled on a developer's machine, failed under CI.
    static func unavailable(_ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if isCI {
            Issue.record("required under CI=true: \(reason)", sourceLocation: sourceLocation)
            return
        }
        try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    }

    /// The `slareport` binary built beside the test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("slareport")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/slareport")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with `arguments`, no standard input, and the given environment additions.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Result {
        try run(executable: binary, arguments: arguments, environment: environment, in: directory)
    }

    /// Runs any executable (`script`, `prlimit`) with no standard input; stdout and stderr are read concurrently.
    static func run(executable: URL, arguments: [String], environment: [String: String] = [:],
                    in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SOURCE_DATE_EPOCH")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errBox.data = errHandle.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Runs `body` on a thread of its own and waits at most `seconds` for it, so a test of something that used to hang
    /// fails instead of never ending. (Swift Testing's time limits also count the time a test waits for a thread, so
    /// under a loaded `make test` they failed tests that take milliseconds.) Nil, with an issue recorded, on timeout;
    /// what `body` throws is rethrown.
    static func finishing<T: Sendable>(within seconds: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                                       _ body: @escaping @Sendable () throws -> T) throws -> T? {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Swift.Result { try body() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        guard done.wait(timeout: .now() + seconds) == .success, let result = box.result else {
            Issue.record("\(what) did not finish within \(Int(seconds)) s", sourceLocation: sourceLocation)
            return nil
        }
        return try result.get()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String = "slareport-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A scratch copy of the fixture estate: `root/estate/sla.yaml`, its exports, and `root/templates`,
    /// so the config's relative paths (database, `../templates`) stay inside the scratch folder.
    static func estateCopy() throws -> (root: URL, config: URL) {
        let root = try temporaryDirectory("slareport-estate")
        let estate = root.appendingPathComponent("estate")
        try FileManager.default.createDirectory(at: estate, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("sla.yaml"),
                                         to: estate.appendingPathComponent("sla.yaml"))
        try FileManager.default.createSymbolicLink(at: estate.appendingPathComponent("exports"),
                                                   withDestinationURL: fixtures.appendingPathComponent("exports"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("templates"),
                                                   withDestinationURL: packageRoot.appendingPathComponent("templates"))
        return (root, estate.appendingPathComponent("sla.yaml"))
    }

    /// The fixture status exports, sorted by name.
    static func statusExports(under config: URL) throws -> [String] { try exports(under: config, kind: "status") }

    /// The fixture exports of one kind (`status`, `metrics`), sorted by name.
    static func exports(under config: URL, kind: String) throws -> [String] {
        let dir = config.deletingLastPathComponent().appendingPathComponent("exports/\(kind)")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }

    /// Files of a directory, name → bytes.
    static func contents(of directory: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            out[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return out
    }

    /// The first differing line of two texts, for a readable failure.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end of file>"
            let y = i < lb.count ? String(lb[i]) : "<end of file>"
            if x != y { return "line \(i + 1):\n  expected: \(x)\n  actual:   \(y)" }
        }
        return "no difference"
    }
}

/// What a thread of `TestSupport.finishing` hands back.
final class ResultBox<T>: @unchecked Sendable {
    var result: Swift.Result<T, Error>?
}
