/// A parsed regex, before compilation.
indirect enum RegexNode: Equatable {
    case empty
    case set(ScalarSet)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)
    case beginText
    case endText
}

/// Recursive-descent parser for the RE2 subset `LabelRegex` supports. Errors follow Go's `regexp/syntax`
/// wording where there is one.
struct RegexParser {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var caseInsensitive = false
    /// Prometheus wraps every label regex in `(?s: )`.
    private var dotMatchesNewline = true
    private var depth = 0

    static let maxRepeat = 1000
    static let maxDepth = 100

    init(_ pattern: [Unicode.Scalar]) { s = pattern }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try alternation()
        if i < s.count { throw fail(i, "unexpected ')'") }   // alternation stops only at ')' or the end
        return node
    }

    private func fail(_ offset: Int, _ reason: String) -> RegexSyntaxError {
        RegexSyntaxError(offset: offset, reason: reason)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { i + ahead < s.count ? s[i + ahead] : nil }

    private mutating func alternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try concatenation()]
        while peek() == "|" {
            i += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func concatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            if let item = try repetition() { items.append(item) }
        }
        return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
    }

    /// An atom and at most one repetition operator (`a**` is an error, as in RE2).
    private mutating func repetition() throws(RegexSyntaxError) -> RegexNode? {
        guard var node = try atom() else { return nil }
        var repeated = false
        while let c = peek() {
            let operatorStart = i
            let bounds: (min: Int, max: Int?)
            switch c {
            case "*": bounds = (0, nil); i += 1
            case "+": bounds = (1, nil); i += 1
            case "?": bounds = (0, 1); i += 1
            case "{":
                guard let counted = try countedRepeat() else { return node }
                bounds = counted
            default:
                return node
            }
            if repeated {
                throw fail(operatorStart, "bad repetition operator: \(String(String.UnicodeScalarView(s[operatorStart..<i])))"
                           + " follows another repetition")
            }
            repeated = true
            if peek() == "?" { i += 1 }   // lazy: the same values match
            node = .repeated(node, min: bounds.min, max: bounds.max)
        }
        return node
    }

    /// `{n}`, `{n,}` or `{n,m}` at `i`, consumed; nil (nothing consumed) when the text is not one, in which
    /// case `{` is a literal, as in RE2.
    private mutating func countedRepeat() throws(RegexSyntaxError) -> (min: Int, max: Int?)? {
        let start = i
        var j = i + 1
        func number() -> Int? {
            let from = j
            var n = 0
            while j < s.count, ("0"..."9").contains(s[j]) {
                n = min(n * 10 + Int(s[j].value - 48), 100_000)
                j += 1
            }
            return j > from ? n : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if j < s.count, s[j] == "," {
            j += 1
            high = number()
        }
        guard j < s.count, s[j] == "}" else { return nil }
        j += 1
        if low > RegexParser.maxRepeat || (high ?? 0) > RegexParser.maxRepeat {
            throw fail(start, "bad repetition count (the limit is \(RegexParser.maxRepeat))")
        }
        if let high, high < low { throw fail(start, "invalid repeat count: the maximum is below the minimum") }
        i = j
        return (low, high)
    }

    /// One atom; nil for a flag group like `(?i)` that only changes how the rest is read.
    private mutating func atom() throws(RegexSyntaxError) -> RegexNode? {
        let c = s[i]
        switch c {
        case "(":
            return try group()
        case "[":
            return .set(try bracketClass())
        case ".":
            i += 1
            return .set(dotMatchesNewline ? .all : ScalarSet(10).inverted)
        case "^":
            i += 1
            return .beginText
        case "$":
            i += 1
            return .endText
        case "\\":
            return try escapeAtom()
        case "*", "+", "?":
            throw fail(i, "missing argument to repetition operator '\(c)'")
        case "{":
            let start = i
            if try countedRepeat() != nil { throw fail(start, "missing argument to repetition operator '{'") }
            i += 1
            return literal(c.value)
        default:
            i += 1
            return literal(c.value)
        }
    }

    private func literal(_ scalar: UInt32) -> RegexNode {
        .set(caseInsensitive ? ScalarSet(scalar).asciiCaseFolded : ScalarSet(scalar))
    }

    private mutating func group() throws(RegexSyntaxError) -> RegexNode? {
        let open = i
        i += 1
        let saved = (caseInsensitive, dotMatchesNewline)
        if peek() == "?" {
            i += 1
            if peek() == ":" {
                i += 1
            } else if peek() == "<" || (peek() == "P" && peek(1) == "<") {
                i += peek() == "P" ? 2 : 1
                let nameStart = i
                while let c = peek(), c.isASCIILetterOrDigit || c == "_" { i += 1 }
                guard i > nameStart, peek() == ">" else { throw fail(open, "invalid named capture") }
                i += 1
            } else {
                // Flags: (?i) (?s) (?U) (?-s) (?i:re) …
                var enable = true, sawFlag = false, sawMinus = false
                while true {
                    guard let c = peek() else { throw fail(open, "missing closing ')'") }
                    i += 1
                    switch c {
                    case "i": caseInsensitive = enable; sawFlag = true
                    case "s": dotMatchesNewline = enable; sawFlag = true
                    case "U": sawFlag = true   // ungreedy: the same values match
                    case "-":
                        guard !sawMinus else { throw fail(i - 1, "invalid or unsupported Perl syntax: repeated '-' in flags") }
                        sawMinus = true; enable = false; sawFlag = false
                    case ":", ")":
                        guard sawFlag else { throw fail(open, "invalid or unsupported Perl syntax: missing flags") }
                        if c == ")" { return nil }   // applies to the rest of the enclosing group
                    case "m":
                        throw fail(i - 1, "unsupported regex flag 'm' (multi-line)")
                    default:
                        throw fail(open, "invalid or unsupported Perl syntax '(?\(c)'")
                    }
                    if c == ":" { break }
                }
            }
        }
        depth += 1
        guard depth <= RegexParser.maxDepth else { throw fail(open, "regex nested too deeply") }
        let inner = try alternation()
        guard peek() == ")" else { throw fail(open, "missing closing ')'") }
        i += 1
        depth -= 1
        (caseInsensitive, dotMatchesNewline) = saved
        return inner
    }

    private mutating func escapeAtom() throws(RegexSyntaxError) -> RegexNode {
        let start = i
        if let c = peek(1) {
            switch c {
            case "d", "D", "s", "S", "w", "W":
                i += 2
                return .set(RegexParser.perlClass(c))
            case "A": i += 2; return .beginText
            case "z": i += 2; return .endText
            case "b", "B": throw fail(start, "word boundaries (\\\(c)) are not supported")
            case "p", "P": throw fail(start, "Unicode classes (\\\(c)) are not supported")
            case "Q": throw fail(start, "\\Q…\\E quoting is not supported")
            default: break
            }
        }
        return literal(try escapedScalar())
    }

    /// The scalar an escape at `i` stands for: `\n`, `\.`, `\x41`, `\x{263A}`, `\012`.
    private mutating func escapedScalar() throws(RegexSyntaxError) -> UInt32 {
        let start = i
        i += 1
        guard let c = peek() else { throw fail(start, "trailing backslash at end of regex") }
        i += 1
        switch c {
        case "a": return 7
        case "f": return 12
        case "t": return 9
        case "n": return 10
        case "r": return 13
        case "v": return 11
        case "0"..."7":
            // Octal, up to three digits; a lone \1–\7 would be a backreference, which RE2 does not have.
            if c != "0", !(peek().map { ("0"..."7").contains($0) } ?? false) {
                throw fail(start, "backreferences (\\\(c)) are not supported")
            }
            var value = c.value - 48
            for _ in 0..<2 {
                guard let d = peek(), ("0"..."7").contains(d) else { break }
                value = value * 8 + d.value - 48
                i += 1
            }
            return value
        case "x":
            var value: UInt32 = 0
            if peek() == "{" {
                i += 1
                let digitsStart = i
                while let d = peek(), let v = RegexParser.hexValue(d) {
                    value = min(value * 16 + v, 0x110000)
                    i += 1
                }
                guard i > digitsStart, peek() == "}", value <= ScalarSet.maxScalar else {
                    throw fail(start, "invalid escape sequence: bad \\x{…}")
                }
                i += 1
                return value
            }
            for _ in 0..<2 {
                guard let d = peek(), let v = RegexParser.hexValue(d) else {
                    throw fail(start, "invalid escape sequence: \\x needs two hex digits")
                }
                value = value * 16 + v
                i += 1
            }
            return value
        default:
            if c.isASCII, !c.isASCIILetterOrDigit { return c.value }   // \. \* \\ \- …
            throw fail(start, "invalid escape sequence '\\\(c)'")
        }
    }

    private mutating func bracketClass() throws(RegexSyntaxError) -> ScalarSet {
        let open = i
        i += 1
        var negate = false
        if peek() == "^" {
            negate = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek() else { throw fail(open, "missing closing ']'") }
            if c == "]", !first {
                i += 1
                break
            }
            // A '-' is literal only first, last, or as a range operator (as in Go).
            if c == "-", !first, peek(1) != "]" {
                throw fail(i, "invalid character class range: a literal '-' must come first or last")
            }
            first = false
            if c == "[", peek(1) == ":", let posix = try posixClass() {
                ranges += posix.ranges
                continue
            }
            if c == "\\", let e = peek(1), "dDsSwW".unicodeScalars.contains(e) {
                i += 2
                ranges += RegexParser.perlClass(e).ranges
                continue
            }
            let lowStart = i
            let low = try classScalar()
            if peek() == "-", let after = peek(1), after != "]" {
                i += 1
                let high = try classScalar()
                guard high >= low else {
                    throw fail(lowStart, "invalid character class range: the end is below the start")
                }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        var set = ScalarSet(ranges)
        if caseInsensitive { set = set.asciiCaseFolded }
        return negate ? set.inverted : set
    }

    private mutating func classScalar() throws(RegexSyntaxError) -> UInt32 {
        let c = s[i]
        if c == "\\" { return try escapedScalar() }
        i += 1
        return c.value
    }

    /// `[:alpha:]` or `[:^alpha:]` at `i`; nil (nothing consumed) when the text is not of that form, so the
    /// `[` is a literal.
    private mutating func posixClass() throws(RegexSyntaxError) -> ScalarSet? {
        var j = i + 2
        while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") { j += 1 }
        guard j + 1 < s.count else { return nil }
        var name = String(String.UnicodeScalarView(s[(i + 2)..<j]))
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let set = RegexParser.posixClasses[name] else {
            throw fail(i, "invalid character class range: unknown class [:\(name):]")
        }
        i = j + 2
        return negated ? set.inverted : set
    }

    static func perlClass(_ c: Unicode.Scalar) -> ScalarSet {
        let base: ScalarSet
        switch c.properties.lowercaseMapping {
        case "d": base = ScalarSet([48...57])
        case "s": base = ScalarSet([9...10, 12...13, 32...32])
        default: base = ScalarSet([48...57, 65...90, 95...95, 97...122])
        }
        return c.properties.isUppercase ? base.inverted : base
    }

    static let posixClasses: [String: ScalarSet] = [
        "alnum": ScalarSet([48...57, 65...90, 97...122]),
        "alpha": ScalarSet([65...90, 97...122]),
        "ascii": ScalarSet([0...127]),
        "blank": ScalarSet([9...9, 32...32]),
        "cntrl": ScalarSet([0...31, 127...127]),
        "digit": ScalarSet([48...57]),
        "graph": ScalarSet([33...126]),
        "lower": ScalarSet([97...122]),
        "print": ScalarSet([32...126]),
        "punct": ScalarSet([33...47, 58...64, 91...96, 123...126]),
        "space": ScalarSet([9...13, 32...32]),
        "upper": ScalarSet([65...90]),
        "word": ScalarSet([48...57, 65...90, 95...95, 97...122]),
        "xdigit": ScalarSet([48...57, 65...70, 97...102]),
    ]

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 87
        case "A"..."F": c.value - 55
        default: nil
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}

/// Compiles a parsed regex to a Thompson-NFA program, refusing programs too large to run cheaply.
struct RegexCompiler {
    static let maxInstructions = 20_000
    private var program: [RegexInstruction] = []
    private var work = 0

    static func compile(_ node: RegexNode) throws(RegexSyntaxError) -> [RegexInstruction] {
        var compiler = RegexCompiler()
        try compiler.emit(node)
        compiler.program.append(.match)
        return compiler.program
    }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        work += 1
        guard program.count < RegexCompiler.maxInstructions, work < 10 * RegexCompiler.maxInstructions else {
            throw RegexSyntaxError(offset: 0, reason: "regex too large (repetitions expand beyond \(RegexCompiler.maxInstructions) steps)")
        }
        switch node {
        case .empty:
            break
        case let .set(set):
            program.append(.set(set))
        case .beginText:
            program.append(.beginText)
        case .endText:
            program.append(.endText)
        case let .concat(items):
            for item in items { try emit(item) }
        case let .alternate(branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = program.count
                program.append(.split(0, 0))
                try emit(branch)
                exits.append(program.count)
                program.append(.jump(0))
                program[split] = .split(split + 1, program.count)
            }
            try emit(branches[branches.count - 1])
            for exit in exits { program[exit] = .jump(program.count) }
        case let .repeated(body, min, max):
            for _ in 0..<min { try emit(body) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(0, 0))
                    try emit(body)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(0, 0))
                try emit(body)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}
