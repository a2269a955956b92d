/// A label-value regular expression as Prometheus applies it: RE2 syntax, matched against the whole
/// value — Prometheus compiles `^(?s:re)$`, so the match is anchored at both ends and `.` also matches a
/// newline.
///
/// Calc has no Foundation, so this is a small engine of its own. It supports literals, `.`, `*`, `+`, `?`,
/// `{n}`, `{n,}`, `{n,m}` (lazy forms too; they match the same values), `|`, groups `( )`, `(?: )`,
/// `(?P<name> )`, flags `(?i)`, `(?s)`, `(?U)` and `(?i: )` (case folding is ASCII-only), classes `[0-9]`,
/// `[^a]`, `[[:alpha:]]`, `\d \w \s \D \W \S`, escapes `\.`, `\n`, `\x41`, `\x{263a}`, octal `\012`, and `^`,
/// `$`, `\A`, `\z`. Unsupported RE2 syntax (`\b`, `\pN`, `\Q…\E`, `(?m)`) is a syntax error, never a silent
/// mismatch. Matching simulates a Thompson NFA, so time is linear in the value's length whatever the
/// pattern (no catastrophic backtracking).
public struct LabelRegex: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    let program: [RegexInstruction]

    public init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        var parser = RegexParser(Array(pattern.unicodeScalars))
        program = try RegexCompiler.compile(try parser.parse())
    }

    /// Whether the whole of `value` matches.
    public func matches(_ value: String) -> Bool {
        let text = Array(value.unicodeScalars)
        var simulation = RegexSimulation(program: program, length: text.count)
        return simulation.run(text)
    }

    public static func == (a: LabelRegex, b: LabelRegex) -> Bool { a.pattern == b.pattern }

    public var description: String { pattern }
}

/// Why a regex did not compile, and where.
public struct RegexSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based, in Unicode scalars, into the pattern.
    public var offset: Int
    public var reason: String
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
    public var description: String { "\(reason) at offset \(offset) of the regex" }
}

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent ranges.
struct ScalarSet: Equatable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF
    static let all = ScalarSet([0...maxScalar])

    init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        self.ranges = merged
    }

    init(_ scalar: UInt32) { self.init([scalar...scalar]) }

    func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }

    var inverted: ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= ScalarSet.maxScalar {
            out.append(next...ScalarSet.maxScalar)
        }
        return ScalarSet(out)
    }

    /// Adds the other ASCII case of every ASCII letter in the set.
    var asciiCaseFolded: ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for r in ranges {
            for (letters, shift) in [(UInt32(65)...90, Int64(32)), (UInt32(97)...122, Int64(-32))] where r.overlaps(letters) {
                let lo = max(r.lowerBound, letters.lowerBound), hi = min(r.upperBound, letters.upperBound)
                extra.append(UInt32(Int64(lo) + shift)...UInt32(Int64(hi) + shift))
            }
        }
        return extra.isEmpty ? self : ScalarSet(ranges + extra)
    }

    func contains(_ scalar: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < scalar { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].lowerBound <= scalar
    }
}

/// One step of a compiled regex program.
enum RegexInstruction: Equatable, Sendable {
    /// Consume one scalar in the set.
    case set(ScalarSet)
    /// Continue at both targets.
    case split(Int, Int)
    case jump(Int)
    /// Zero-width: only at the start / end of the value.
    case beginText
    case endText
    case match
}

/// Runs a program over a value, keeping the set of live NFA states (no backtracking).
struct RegexSimulation {
    let program: [RegexInstruction]
    let length: Int
    private var seen: [Int]
    private var generation = 0
    private var stack: [Int] = []

    init(program: [RegexInstruction], length: Int) {
        self.program = program
        self.length = length
        seen = Array(repeating: -1, count: program.count)
    }

    mutating func run(_ text: [Unicode.Scalar]) -> Bool {
        var current: [Int] = [], next: [Int] = []
        add(0, at: 0, to: &current)
        for (position, scalar) in text.enumerated() {
            if current.isEmpty { return false }
            generation += 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                if case let .set(set) = program[pc], set.contains(scalar.value) {
                    add(pc + 1, at: position + 1, to: &next)
                }
            }
            swap(&current, &next)
        }
        return current.contains { program[$0] == .match }
    }

    /// Adds the states reachable from `pc` without consuming input (the ε-closure), each once per step.
    private mutating func add(_ pc: Int, at position: Int, to list: inout [Int]) {
        stack.append(pc)
        while let pc = stack.popLast() {
            if seen[pc] == generation { continue }
            seen[pc] = generation
            switch program[pc] {
            case let .jump(target): stack.append(target)
            case let .split(a, b): stack.append(b); stack.append(a)
            case .beginText: if position == 0 { stack.append(pc + 1) }
            case .endText: if position == length { stack.append(pc + 1) }
            case .set, .match: list.append(pc)
            }
        }
    }
}
