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

    /// The windows of each of `windowLengths`, in that order, cut from the period's local midnights.
    public static func windows(of period: Period, zone: Zone) -> [[Interval]] {
        ObjectiveWindows.cut(period, windows: windowLengths, zone: zone)
    }

    /// The worst of `badFraction(window) / slack` over `windows` (the period cut into `length` windows);
    /// windows where `badFraction` is nil (no data) are skipped.
    static func worst(length: Millis, windows: [Interval], slack: Ratio,
                      badFraction: (Interval) throws(ArithmeticOverflowError) -> Ratio?) throws(ArithmeticOverflowError) -> BurnRate {
        guard Checked.compare(slack, .zero) > 0 else { return BurnRate(windowLength: length, worst: nil, worstWindow: nil) }
        var worst: Ratio?
        var worstWindow: Interval?
        for window in windows {
            guard let bad = try badFraction(window) else { continue }
            let rate = try Checked.quotient(bad, slack)
            if worst == nil || Checked.compare(rate, worst!) > 0 {
                worst = rate
                worstWindow = window
            }
        }
        return BurnRate(windowLength: length, worst: worst, worstWindow: worstWindow)
    }

    /// The worst uptime burn rate over `windows`: (eligible − good) / eligible per window, divided by `slack`;
    /// windows with nothing eligible are skipped and the first window with the worst rate wins.
    ///
    /// The slack is the same for every window, so the windows are ranked by their bad fractions alone, compared
    /// by cross-multiplying whole numbers (`StateTally`'s scaled milliseconds); only the worst one becomes a
    /// `Ratio`. The result is the same exact number as dividing each window's figures as `Ratio`s.
    static func worstUptime(length: Millis, windows: [Interval], timeline: Timeline, policy: StatusPolicy,
                            slack: Ratio) throws(ArithmeticOverflowError) -> BurnRate {
        guard Checked.compare(slack, .zero) > 0 else { return BurnRate(windowLength: length, worst: nil, worstWindow: nil) }
        let scale = StateTally.goodScale(policy: policy)
        var worst: (badFraction: UnreducedFraction, window: Interval)?
        for window in windows {
            let tally = StateTally(timeline: timeline, window: window)
            let eligible = tally.eligibleMs(policy: policy)
            guard eligible > 0 else { continue }
            let badFraction = UnreducedFraction(tally.scaledBadMs(policy: policy), Int128(eligible) * scale)
            if worst == nil || badFraction > worst!.badFraction { worst = (badFraction, window) }
        }
        guard let worst else { return BurnRate(windowLength: length, worst: nil, worstWindow: nil) }
        return BurnRate(windowLength: length, worst: try Checked.quotient(worst.badFraction.ratio, slack),
                        worstWindow: worst.window)
    }
}
