import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child process that runs inputs, in-process and one after another, for speed (hundreds a second rather than the
/// tens a process per input would allow). It tells the supervisor, on standard output, one line before each input
/// (`S index`, written after the input is on disk) and one after (`E index kind text`). If the process dies or stops
/// answering, the supervisor knows which input it was on and finds that input's bytes on disk.
enum Worker {
    static func run(target: FuzzTarget, work: URL, fixtures: URL, seed: UInt64, start: Int, findings: URL) throws -> Never {
        signal(SIGPIPE, SIG_IGN)
        let harness = try Harness(target: target, work: work, fixtures: fixtures, seed: seed)
        var index = start
        while true {
            let bytes = try harness.generate(index)
            try harness.write(bytes)
            say("S \(index)")
            var rng = SplitMix64.forInput(seed: seed ^ 0x5EED, target: target.rawValue, index: index)
            let outcome = harness.run(bytes, replace: rng.oneIn(4), auto: rng.oneIn(4))
            switch outcome {
            case .accepted:
                say("E \(index) accepted")
            case .rejected(let template):
                say("E \(index) rejected \(template)")
            case .finding(let what):
                let line = Harness.template(what)
                let name = "finding-\(index)"
                try? Data(bytes).write(to: findings.appendingPathComponent(name + "-" + target.fileName))
                try? (what + "\n").write(to: findings.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
                say("E \(index) finding \(line)")
            }
            index += 1
        }
    }

    /// One line to the supervisor, written whole (the pipe is the worker's standard output).
    private static func say(_ line: String) {
        var text = line
        text.append("\n")
        text.withCString { pointer in
            var offset = 0
            let count = strlen(pointer)
            while offset < count {
                let n = write(1, pointer + offset, count - offset)
                if n < 0 { if errno == EINTR { continue }; exit(3) }
                offset += n
            }
        }
    }
}
