/// The worst burn rate of an error budget over windows of one length (§5.4): the bad fraction in a window
/// divided by the fraction the objective allows (its slack), so 1 spends the budget exactly as fast as the
/// period allows.
public struct BurnRate: Equatable, Sendable {
    /// §5.4's classes: `normal` < 1 ≤ `elevated` < 6 ≤ `fast` < 14.4 ≤ `critical`.
    public enum Level: String, Sendable, CaseIterable {
        case normal, elevated, fast, critical
    }

    /// The window lengths a budget reports: 1 h, 6 h and 24 h, cut from local midnight (`ObjectiveWindows`).
    public static let windowLengths: [Millis] = [Duration.hour, 6 * Duration.hour, Duration.day]

    public var windowLength: Millis
    /// The highest burn rate of any window, exact; nil when no window had data (nothing eligible, no
    /// requests) or the objective allows no bad fraction at all (a 100 % uptime or 0 % error-rate target).
    public var worst: Ratio?
    /// The first window with the worst rate.
    public var worstWindow: Interval?

    public init(windowLength: Millis, worst: Ratio?, worstWindow: Interval?) {
        self.windowLength = windowLength
        self.worst = worst
        self.worstWindow = worstWindow
    }

    public var level: Level? { worst.map(BurnRate.level(of:)) }

    /// The class of a burn rate; each boundary belongs to the class above it.
    public static func level(of rate: Ratio) -> Level {
        if Checked.compare(rate, Ratio(1)) < 0 { return .normal }
        if Checked.compare(rate, Ratio(6)) < 0 { return .elevated }
        if Checked.compare(rate, Ratio(72, 5)) < 0 { return .fast }   // 14.4
        return .critical
    }

    /// The worst of `badFraction(window) / slack` over the period cut into `length` windows; windows where
    /// `badFraction` is nil (no data) are skipped.
    static func worst(length: Millis, period: Period, zone: Zone, slack: Ratio,
                      badFraction: (Interval) throws(ArithmeticOverflowError) -> Ratio?) throws(ArithmeticOverflowError) -> BurnRate {
        guard Checked.compare(slack, .zero) > 0 else { return BurnRate(windowLength: length, worst: nil, worstWindow: nil) }
        var worst: Ratio?
        var worstWindow: Interval?
        for window in ObjectiveWindows.cut(period, window: length, zone: zone) {
            guard let bad = try badFraction(window) else { continue }
            let rate = try Checked.quotient(bad, slack)
            if worst == nil || Checked.compare(rate, worst!) > 0 {
                worst = rate
                worstWindow = window
            }
        }
        return BurnRate(windowLength: length, worst: worst, worstWindow: worstWindow)
    }
}
