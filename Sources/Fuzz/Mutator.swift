/// SplitMix64 (Steele, Lea, Flood 2014): small, fast and fully determined by its seed, so input `n` of a run is the same
/// bytes on every machine and every restart.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True once in `n` draws.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The generator for input `index` of `target` in a run seeded `seed`: independent of every other input's.
    static func forInput(seed: UInt64, target: String, index: Int) -> SplitMix64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the target's name
        for b in target.utf8 { h = (h ^ UInt64(b)) &* 0x0100_0000_01B3 }
        var mixer = SplitMix64(seed: seed ^ h ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }
}

/// Byte-level mutations of an export: the classes issue 12 §6 lists (byte flips, truncation, NUL and invalid UTF-8,
/// huge numbers, duplicated and removed lines, years 0001 and 9999) and a few structural ones (tokens of the format,
/// splices of another seed, repeated chunks).
struct Mutator {
    /// Inputs are kept below this size: the readers stream, and small inputs run many times a second.
    var maxBytes = 256 << 10
    /// Tokens of the format being fuzzed (`"`, `{`, `# EOF`, `&a`, …), inserted or overwritten at random places.
    var dictionary: [[UInt8]] = []

    /// Byte sequences that are not text, or not the text they seem: NUL and other controls, invalid UTF-8 (a lone
    /// continuation byte, a truncated sequence, an overlong form, a surrogate, 0xFF), C1 controls, a decomposed accent.
    static let badBytes: [[UInt8]] = [
        [0x00], [0x01], [0x09], [0x0A], [0x0D], [0x1F], [0x7F], [0xFF], [0xFE], [0x80], [0xBF], [0xC3, 0x28], [0xC3],
        [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC2, 0x85], [0xC2, 0x9F],
        [0xEF, 0xBB, 0xBF], [0x65, 0xCC, 0x81], [0xC3, 0xA9], [0xE2, 0x80, 0xAE], [0xF0, 0x9F, 0x98, 0x80],
    ]

    /// Numbers that overflow, underflow or mean nothing.
    static let hugeNumbers: [String] = [
        "1e999", "-1e999", "1e-999", "9" + String(repeating: "9", count: 40), "12345678901.123456789012345",
        "0." + String(repeating: "0", count: 30) + "1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "NaN", "+Inf", "-Inf", "-0", "0x1p3", "1_000", "١٢٣", "1e+308", "4.9e-324",
        String(repeating: "7", count: 400), "99999999999999999999.5", "-4",
    ]

    /// Instants at the ends of what RFC 3339 can write, and a few more that are not instants.
    static let oddYears: [String] = ["9999", "0001", "0000", "1969", "2038", "10000", "-001"]
    static let oddTimes: [String] = [
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-10-01T24:00:00Z", "2026-02-29T00:00:00Z",
        "2026-10-01T00:00:60Z", "2026-10-01T00:00:00+25:00", "2026-10-01T00:00:00.9999999999Z", "253402300800",
        "-62135596801", "0", "-1", "1790812800.0000001", "9999-12-31 23:59:59", "0001-01-01 00:00:00",
    ]

    func mutate(_ seed: [UInt8], splice other: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let rounds = 1 + rng.below(rng.oneIn(4) ? 8 : 3)
        for _ in 0..<rounds {
            mutateOnce(&bytes, splice: other, rng: &rng)
            if bytes.count > maxBytes { bytes.removeLast(bytes.count - maxBytes) }
        }
        return bytes
    }

    private func mutateOnce(_ bytes: inout [UInt8], splice other: [UInt8], rng: inout SplitMix64) {
        let n = bytes.count
        func position() -> Int { n == 0 ? 0 : rng.below(n + 1) }
        switch rng.below(17) {
        case 0:  // flip a bit
            guard n > 0 else { return }
            bytes[rng.below(n)] ^= UInt8(1) << UInt8(rng.below(8))
        case 1:  // set a byte to anything
            guard n > 0 else { return }
            bytes[rng.below(n)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:  // truncate
            guard n > 0 else { return }
            bytes.removeLast(rng.below(n) + 1)
        case 3, 4:  // insert bytes that are not text
            bytes.insert(contentsOf: rng.pick(Self.badBytes), at: position())
        case 5:  // overwrite with bytes that are not text, inside a line (likely inside a name)
            guard n > 0 else { return }
            let at = rng.below(n)
            let bad = rng.pick(Self.badBytes)
            bytes.replaceSubrange(at..<min(n, at + bad.count), with: bad)
        case 6:  // replace a run of digits by a huge or odd number
            replaceDigits(&bytes, with: Array(rng.pick(Self.hugeNumbers).utf8), rng: &rng)
        case 7:  // replace a year, or a whole timestamp
            if rng.oneIn(2) {
                replaceYear(&bytes, with: Array(rng.pick(Self.oddYears).utf8), rng: &rng)
            } else {
                replaceTimestamp(&bytes, with: Array(rng.pick(Self.oddTimes).utf8), rng: &rng)
            }
        case 8:  // duplicate a line
            var lines = Self.lines(bytes)
            guard !lines.isEmpty else { return }
            let k = rng.below(lines.count)
            lines.insert(lines[k], at: rng.below(lines.count + 1))
            bytes = Array(lines.joined())
        case 9:  // remove a line
            var lines = Self.lines(bytes)
            guard !lines.isEmpty else { return }
            lines.remove(at: rng.below(lines.count))
            bytes = Array(lines.joined())
        case 10:  // swap two lines
            var lines = Self.lines(bytes)
            guard lines.count > 1 else { return }
            lines.swapAt(rng.below(lines.count), rng.below(lines.count))
            bytes = Array(lines.joined())
        case 11, 12:  // a token of the format
            guard !dictionary.isEmpty else { return }
            let token = rng.pick(dictionary)
            if rng.oneIn(2) || n == 0 {
                bytes.insert(contentsOf: token, at: position())
            } else {
                let at = rng.below(n)
                bytes.replaceSubrange(at..<min(n, at + token.count), with: token)
            }
        case 13:  // splice: this seed's start, another's end
            guard !other.isEmpty else { return }
            let cut = position()
            bytes = Array(bytes[..<cut]) + Array(other[rng.below(other.count)...])
        case 14:  // repeat a chunk many times (long lines, deep nesting)
            guard n > 0 else { return }
            let at = rng.below(n)
            let chunk = Array(bytes[at..<min(n, at + 1 + rng.below(16))])
            let times = rng.pick([2, 16, 256, 4096])
            bytes.insert(contentsOf: Array(repeatElement(chunk, count: times).joined()), at: at)
        case 15:  // delete a run
            guard n > 0 else { return }
            let at = rng.below(n)
            bytes.removeSubrange(at..<min(n, at + 1 + rng.below(64)))
        default:  // copy a run of the input elsewhere
            guard n > 1 else { return }
            let at = rng.below(n)
            let chunk = Array(bytes[at..<min(n, at + 1 + rng.below(64))])
            bytes.insert(contentsOf: chunk, at: position())
        }
    }

    /// The lines of `bytes`, each with its `\n` (the last may have none).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(bytes[start...i])
            start = i + 1
        }
        if start < bytes.count { out.append(bytes[start...]) }
        return out
    }

    private func digitRuns(_ bytes: [UInt8]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                let start = i
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
                runs.append(start..<i)
            } else {
                i += 1
            }
        }
        return runs
    }

    private func replaceDigits(_ bytes: inout [UInt8], with new: [UInt8], rng: inout SplitMix64) {
        let runs = digitRuns(bytes)
        guard !runs.isEmpty else { return }
        bytes.replaceSubrange(rng.pick(runs), with: new)
    }

    /// A four-digit run that looks like a year (19xx, 20xx).
    private func replaceYear(_ bytes: inout [UInt8], with new: [UInt8], rng: inout SplitMix64) {
        let years = digitRuns(bytes).filter { $0.count == 4 && (bytes[$0.lowerBound] == 0x31 || bytes[$0.lowerBound] == 0x32) }
        guard !years.isEmpty else { return }
        bytes.replaceSubrange(rng.pick(years), with: new)
    }

    /// A `YYYY-MM-DD…` run up to the next quote, comma, space or line end, or a 10-digit epoch.
    private func replaceTimestamp(_ bytes: inout [UInt8], with new: [UInt8], rng: inout SplitMix64) {
        let runs = digitRuns(bytes).filter { $0.count == 4 || $0.count == 10 }
        guard !runs.isEmpty else { return }
        let run = rng.pick(runs)
        var end = run.upperBound
        if run.count == 4 {
            while end < bytes.count, ![0x22, 0x2C, 0x20, 0x0A, 0x0D, 0x27, 0x5D, 0x7D].contains(bytes[end]) { end += 1 }
        }
        bytes.replaceSubrange(run.lowerBound..<end, with: new)
    }
}
