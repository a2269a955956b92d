/// Cuts a period into an objective's evaluation windows (§5.3).
public enum ObjectiveWindows {
    /// - `nil`: the whole period.
    /// - a whole number of days (`24h`, `48h`): that many local calendar days from the period's first day,
    ///   so 23 h or 25 h across a DST change.
    /// - shorter: steps of `window` from each local midnight, the day's last step clipped at the next midnight.
    public static func cut(_ period: Period, window: Millis?, zone: Zone) -> [Interval] {
        cut(period, window: window, midnights: midnights(of: period, zone: zone))
    }

    /// Cuts the period into windows of each length, finding its local midnights once for all of them.
    public static func cut(_ period: Period, windows: [Millis?], zone: Zone) -> [[Interval]] {
        let midnights = midnights(of: period, zone: zone)
        return windows.map { cut(period, window: $0, midnights: midnights) }
    }

    /// The local midnight starting each day of the period, then the one ending its last day: day `i` of the
    /// period is `[midnights[i], midnights[i + 1])`. Finding a midnight asks the zone for offsets around it,
    /// so the burn-rate windows (three lengths) and every service share one list.
    static func midnights(of period: Period, zone: Zone) -> [Millis] {
        var out: [Millis] = []
        var day = period.firstDay
        let end = period.lastDay.adding(days: 1)
        while day <= end {
            out.append(zone.startOfDay(day))
            day = day.adding(days: 1)
        }
        return out
    }

    static func cut(_ period: Period, window: Millis?, midnights: [Millis]) -> [Interval] {
        guard let window else { return [period.interval] }
        let days = max(midnights.count - 1, 0)
        var out: [Interval] = []
        if window % Duration.day == 0 {
            let step = Int(window / Duration.day)
            var day = 0
            while day < days {
                let next = min(day + step, days)
                out.append(Interval(start: midnights[day], end: midnights[next]))
                day = next
            }
        } else {
            for day in 0..<days {
                let midnight = midnights[day], nextMidnight = midnights[day + 1]
                var t = midnight
                while t < nextMidnight {
                    out.append(Interval(start: t, end: min(t + window, nextMidnight)))
                    t += window
                }
            }
        }
        return out
    }
}
