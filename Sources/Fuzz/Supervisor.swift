import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one worker process per target and watches it: how crashes, hangs and memory blow-ups are caught.
///
/// - **Crash.** A trap (Swift's overflow and bounds checks, `fatalError`, a failed `precondition`) or a signal ends the
///   worker. The worker wrote the input to disk before announcing it (`S index`), so the supervisor, which sees the
///   process die with no `E index` after it, copies that file as the reproducer and restarts a worker at the next
///   index. Nothing has to run inside the dying process (no signal handler writing files), which is what makes this
///   robust: a corrupted heap or a stack overflow cannot stop the reproducer from being kept.
/// - **Hang.** An input that has used `maxInputSeconds` of CPU time without finishing is killed (SIGKILL) and kept the
///   same way; so is one that has not finished after ten times that on the clock (a hang that waits rather than spins).
///   CPU time, not the clock, is the first measure, so a worker starved of the CPU by other processes on a loaded
///   machine is not taken for a hang.
/// - **Memory.** The worker's resident set is read from `/proc` every 50 ms; above `maxRSSMegabytes` it is killed and
///   the input kept. (Inputs are at most 256 KiB, so any input that needs hundreds of megabytes is a finding.)
/// - **Findings** that leave the process alive (an error that is not a diagnostic, bad bytes in the store) are kept by
///   the worker itself.
struct Supervisor {
    var seconds: Double
    var seed: UInt64
    var out: URL
    var fixtures: URL
    var maxInputSeconds: Double = 2
    var maxRSSMegabytes: Int = 1024
    /// Reproducers kept per kind and target (all are counted).
    var keep = 25

    struct Stats {
        var inputs = 0
        var accepted = 0
        var rejected = 0
        var errors = Set<String>()
        var crashes = 0
        var hangs = 0
        var memory = 0
        var findings = 0
        var elapsed = 0.0
        /// What each crash, hang or finding was, for the summary.
        var notes: [String] = []

        var failed: Bool { crashes + hangs + memory + findings > 0 }
    }

    /// A line on standard output, written at once (progress shows while a long run goes on).
    private func show(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func run(_ targets: [FuzzTarget]) -> Int32 {
        show("slareport-fuzz: seed \(seed), \(Int(seconds)) s per reader, an input over \(maxInputSeconds) s of CPU is a hang, "
              + "over \(maxRSSMegabytes) MB resident is a memory finding; reproducers in \(out.path)")
        var all: [(FuzzTarget, Stats)] = []
        for target in targets {
            let stats = fuzz(target)
            all.append((target, stats))
            show(Self.line(target, stats))
            for note in stats.notes.prefix(10) { show("    \(note)") }
            if stats.notes.count > 10 { show("    … and \(stats.notes.count - 10) more") }
        }
        try? FileManager.default.removeItem(atPath: "/dev/shm/slareport-fuzz-\(getpid())")
        show("")
        show(Self.header)
        for (target, stats) in all { show(Self.line(target, stats)) }
        // The same figures for scripts and the CI test: one tab-separated line per reader, and every note.
        let table = all.map { target, s in
            ([target.rawValue] + [s.inputs, s.accepted, s.rejected, s.errors.count, s.crashes, s.hangs, s.memory, s.findings].map(String.init)
                + [String(format: "%.1f", s.elapsed)]).joined(separator: "\t")
        }
        try? (["reader\tinputs\taccepted\trejected\tdistinct_errors\tcrashes\thangs\tmemory\tfindings\tseconds"] + table)
            .joined(separator: "\n").appending("\n").write(to: out.appendingPathComponent("summary.tsv"), atomically: true, encoding: .utf8)
        let notes = all.flatMap { target, s in s.notes.map { "\(target.rawValue): \($0)" } }
        try? notes.map { $0 + "\n" }.joined().write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        return all.contains { $0.1.failed } ? 1 : 0
    }

    static let header = "reader                inputs  inputs/s  accepted  rejected  distinct errors  crashes  hangs  memory  findings"

    static func line(_ target: FuzzTarget, _ s: Stats) -> String {
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let rate = s.elapsed > 0 ? Double(s.inputs) / s.elapsed : 0
        return target.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
            + pad("\(s.inputs)", 10) + pad(String(format: "%.1f", rate), 10) + pad("\(s.accepted)", 10) + pad("\(s.rejected)", 10)
            + pad("\(s.errors.count)", 17) + pad("\(s.crashes)", 9) + pad("\(s.hangs)", 7) + pad("\(s.memory)", 8)
            + pad("\(s.findings)", 10)
    }

    private func fuzz(_ target: FuzzTarget) -> Stats {
        var stats = Stats()
        // Inputs are written and imported in memory (tmpfs) where there is one: thousands of small files a minute.
        let scratch = FileManager.default.isWritableFile(atPath: "/dev/shm")
            ? URL(fileURLWithPath: "/dev/shm/slareport-fuzz-\(getpid())") : out.appendingPathComponent("work")
        let work = scratch.appendingPathComponent(target.rawValue)
        defer { try? FileManager.default.removeItem(at: work) }
        let kept = out.appendingPathComponent(target.rawValue)
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        let log = out.appendingPathComponent("\(target.rawValue)-worker.log")
        try? Data().write(to: log)
        let begin = Date()
        let deadline = begin.addingTimeInterval(seconds)
        var next = 0
        var deathsWithoutProgress = 0
        var saved: [String: Int] = [:]

        func keep(_ kind: String, _ index: Int) {
            saved[kind, default: 0] += 1
            guard saved[kind]! <= self.keep else { return }
            let source = work.appendingPathComponent(target.fileName)
            let destination = kept.appendingPathComponent("\(kind)-\(index)-\(target.fileName)")
            try? FileManager.default.removeItem(at: destination)
            try? FileManager.default.copyItem(at: source, to: destination)
        }

        while Date() < deadline {
            guard let worker = Child(arguments: [
                "--worker", target.rawValue, "--seed", "\(seed)", "--start", "\(next)", "--work", work.path,
                "--fixtures", fixtures.path, "--findings", kept.path,
            ], log: log) else {
                stats.notes.append("cannot start a worker")
                stats.findings += 1
                break
            }
            var current: (index: Int, since: Date, cpu: Double)?
            var progressed = false
            var ended = false
            func handle(_ line: String) {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 2, let index = Int(parts[1]) else { return }
                if parts[0] == "S" {
                    current = (index, Date(), worker.cpuSeconds() ?? 0)
                } else if parts[0] == "E" {
                    current = nil
                    next = index + 1
                    progressed = true
                    stats.inputs += 1
                    let kind = parts.count > 2 ? String(parts[2]) : ""
                    let text = parts.count > 3 ? String(parts[3]) : ""
                    switch kind {
                    case "accepted": stats.accepted += 1
                    case "rejected":
                        stats.rejected += 1
                        stats.errors.insert(text)
                    default:
                        stats.findings += 1
                        stats.notes.append("finding at input \(index): \(text)")
                    }
                }
            }
            while !ended {
                worker.lines(waiting: 0.05).forEach(handle)
                let now = Date()
                if let status = worker.exited() {
                    worker.drain().forEach(handle)
                    ended = true
                    if let (index, _, _) = current {
                        stats.inputs += 1
                        stats.crashes += 1
                        keep("crash", index)
                        stats.notes.append("crash at input \(index) (\(status)): \(Self.lastError(in: log))")
                        next = index + 1
                        deathsWithoutProgress = 0
                    } else {
                        deathsWithoutProgress = progressed ? 0 : deathsWithoutProgress + 1
                        if deathsWithoutProgress >= 3 {
                            stats.findings += 1
                            stats.notes.append("the worker died between inputs (\(status)): \(Self.lastError(in: log))")
                            stats.elapsed = now.timeIntervalSince(begin)
                            return stats
                        }
                    }
                } else if let (index, since, cpu) = current,
                          (worker.cpuSeconds() ?? cpu) - cpu > maxInputSeconds || now.timeIntervalSince(since) > 10 * maxInputSeconds {
                    let used = (worker.cpuSeconds() ?? cpu) - cpu
                    worker.terminate()
                    ended = true
                    stats.inputs += 1
                    stats.hangs += 1
                    keep("hang", index)
                    stats.notes.append("hang at input \(index): still running after \(String(format: "%.1f", used)) s of CPU, "
                        + "\(String(format: "%.1f", now.timeIntervalSince(since))) s on the clock")
                    next = index + 1
                } else if let rss = worker.residentMegabytes(), rss > maxRSSMegabytes {
                    worker.terminate()
                    ended = true
                    let index = current?.index ?? next
                    stats.inputs += 1
                    stats.memory += 1
                    keep("memory", index)
                    stats.notes.append("memory at input \(index): \(rss) MB resident")
                    next = index + 1
                } else if now >= deadline {
                    worker.terminate()
                    ended = true
                }
            }
        }
        stats.elapsed = Date().timeIntervalSince(begin)
        // Every distinct message, to read through (a message that names no place or reads badly is a finding too).
        let errors = stats.errors.sorted().joined(separator: "\n") + "\n"
        try? errors.write(to: out.appendingPathComponent("\(target.rawValue)-errors.txt"), atomically: true, encoding: .utf8)
        return stats
    }

    /// The last line of the worker's log that says what went wrong (Swift prints `Fatal error: …` on a trap).
    static func lastError(in log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let telling = lines.last { $0.contains("Fatal error") || $0.contains("error:") || $0.contains("Illegal") || $0.contains("fault") }
        return String((telling ?? lines.last ?? "no message").prefix(300))
    }
}

/// A worker process: its standard output read line by line without blocking for long.
final class Child {
    let pid: pid_t
    private let fd: Int32
    private var pending: [UInt8] = []
    private var status: Int32?

    init?(arguments: [String], log: URL) {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { return nil }
        let executable = Child.executablePath()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        posix_spawn_file_actions_addopen(&actions, 2, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var environment = ProcessInfo.processInfo.environment
        // A backtrace takes seconds; the reproducer is kept and can be run again with --reproduce.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(pipeFDs[1])
        guard rc == 0 else {
            close(pipeFDs[0])
            return nil
        }
        pid = child
        fd = pipeFDs[0]
    }

    deinit {
        if status == nil { terminate() }
        close(fd)
    }

    static func executablePath() -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// Complete lines that arrived within `waiting` seconds (none when nothing did).
    func lines(waiting: Double) -> [String] {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(waiting * 1000))
        if ready > 0 {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { pending += buffer[0..<n] }
        }
        var out: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            out.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return out
    }

    /// Every line still in the pipe, up to its end (after the process ended).
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { pending += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        var out: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            out.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return out
    }

    /// How the process ended, once it has: `exit 3`, `signal 5`; nil while it runs.
    func exited() -> String? {
        if status == nil {
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            status = raw
        }
        let raw = status!
        let signal = raw & 0x7F
        return signal == 0 ? "exit \((raw >> 8) & 0xFF)" : "signal \(signal)"
    }

    func terminate() {
        guard status == nil else { return }
        _ = kill(pid, SIGKILL)
        var raw: Int32 = 0
        _ = waitpid(pid, &raw, 0)
        status = raw
    }

    /// The CPU time the process has used (user and system), from /proc (Linux); nil elsewhere or once it is gone.
    func cpuSeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After the command's closing parenthesis: state is field 3, utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The resident set from /proc (Linux); nil elsewhere or once the process is gone.
    func residentMegabytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) >> 20
    }
}
