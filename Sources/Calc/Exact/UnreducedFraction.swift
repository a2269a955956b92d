/// A fraction kept as it was formed, not reduced to lowest terms, for comparing many candidates cheaply:
/// `a/b < c/d ⟺ a·d < c·b` (b, d > 0), with the products taken at full 256-bit width so they never
/// overflow. Only the winner of a comparison needs to become a `Ratio` (and pay for its gcd).
struct UnreducedFraction: Comparable, Sendable {
    let numerator: Int128
    /// Always positive.
    let denominator: Int128

    init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator > 0, "UnreducedFraction needs a positive denominator")
        self.numerator = numerator
        self.denominator = denominator
    }

    static func < (a: UnreducedFraction, b: UnreducedFraction) -> Bool {
        let left = a.numerator.multipliedFullWidth(by: b.denominator)
        let right = b.numerator.multipliedFullWidth(by: a.denominator)
        // (high, low) is high · 2^128 + low with `low` unsigned, so the pairs order like the numbers they are.
        return (left.high, left.low) < (right.high, right.low)
    }

    static func == (a: UnreducedFraction, b: UnreducedFraction) -> Bool { !(a < b) && !(b < a) }

    /// The same number in lowest terms.
    var ratio: Ratio { Ratio(numerator, denominator) }
}
