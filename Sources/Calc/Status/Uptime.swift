/// The uptime formula of SPEC §5.1.4, written once: every uptime figure (a service's month, a window of an
/// objective, the estate's total) is `100 · good / eligible`, exact, and "no data" (nil) when nothing is eligible.
public enum Uptime {
    /// `100 · goodMs / eligibleMs`; nil when `eligibleMs` is 0.
    public static func percent(goodMs: Ratio, eligibleMs: Millis) throws(ArithmeticOverflowError) -> Ratio? {
        guard eligibleMs > 0 else { return nil }
        return try Ratio.hundred * goodMs / Ratio(Int128(eligibleMs), 1)
    }
}
