/// The status side of a report: which samples a period needs and the timeline they make. Pure: the caller
/// loads the samples (`ComplianceReportBuilder` then computes the report one service at a time).
public enum ComplianceCalculator {
    /// The span of samples the calculation needs: whole local months around the period, plus the
    /// longest a sample before them can hold.
    public static func sampleRange(period: Period, policy: StatusPolicy) -> Interval {
        let months = period.wholeMonths
        return Interval(start: months.start - policy.maxSampleGap, end: months.end)
    }

    /// One service's timeline: callers that load samples service by service keep only timelines in memory.
    public static func timeline(of service: String, estate: Estate, period: Period, series: [StatusSeries]) -> Timeline {
        Timeline(range: period.wholeMonths, series: series,
                 scheduledMaintenance: estate.maintenance.filter { $0.service == service }.map(\.interval),
                 policy: estate.statusPolicy, monthStarts: period.months.map(\.monthInterval.start) + [period.wholeMonths.end])
    }
}
