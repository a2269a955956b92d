/// Cuts a period into an objective's evaluation windows (§5.3).
public enum ObjectiveWindows {
    /// - `nil`: the whole period.
    /// - a whole number of days (`24h`, `48h`): that many local calendar days from the period's first day,
    ///   so 23 h or 25 h across a DST change.
    /// - shorter: steps of `window` from each local midnight, the day's last step clipped at the next midnight.
    public static func cut(_ period: Period, window: Millis?, zone: Zone) -> [Interval] {
        guard let window else { return [period.interval] }
        var out: [Interval] = []
        var day = period.firstDay
        let end = period.lastDay.adding(days: 1)
        if window % Duration.day == 0 {
            let days = Int(window / Duration.day)
            while day < end {
                let next = min(day.adding(days: days), end)
                out.append(Interval(start: zone.startOfDay(day), end: zone.startOfDay(next)))
                day = next
            }
        } else {
            while day < end {
                let midnight = zone.startOfDay(day), nextMidnight = zone.startOfDay(day.adding(days: 1))
                var t = midnight
                while t < nextMidnight {
                    out.append(Interval(start: t, end: min(t + window, nextMidnight)))
                    t += window
                }
                day = day.adding(days: 1)
            }
        }
        return out
    }
}
