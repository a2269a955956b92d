/// Computes a `ComplianceReport` from the estate, a period and the status data. Pure: the caller
/// loads the samples and decides "now".
public enum ComplianceCalculator {
    /// The span of samples the calculation needs: whole local months around the period, plus the
    /// longest a sample before them can hold.
    public static func sampleRange(period: Period, policy: StatusPolicy) -> Interval {
        let months = period.wholeMonths
        return Interval(start: months.start - policy.maxSampleGap, end: months.end)
    }

    /// Each service's status timeline over `period.wholeMonths` (so the monthly maintenance cap sees whole
    /// months), keyed by service id. Uptime, incidents and credits all read these same timelines.
    /// - Parameter status: each service's status series, keyed by service id, covering `sampleRange`.
    public static func timelines(estate: Estate, period: Period, status: [String: [StatusSeries]]) -> [String: Timeline] {
        var out: [String: Timeline] = [:]
        for service in estate.services {
            out[service.id] = timeline(of: service.id, estate: estate, period: period, series: status[service.id] ?? [])
        }
        return out
    }

    /// One service's timeline: callers that load samples service by service keep only timelines in memory.
    public static func timeline(of service: String, estate: Estate, period: Period, series: [StatusSeries]) -> Timeline {
        Timeline(range: period.wholeMonths, series: series,
                 scheduledMaintenance: estate.maintenance.filter { $0.service == service }.map(\.interval),
                 policy: estate.statusPolicy, monthStarts: period.months.map(\.monthInterval.start) + [period.wholeMonths.end])
    }

    /// - Parameter status: each service's status series, keyed by service id, covering `sampleRange`.
    public static func report(estate: Estate, period: Period, generatedAt: Millis,
                              status: [String: [StatusSeries]]) throws(ArithmeticOverflowError) -> ComplianceReport {
        try report(estate: estate, period: period, generatedAt: generatedAt,
                   timelines: timelines(estate: estate, period: period, status: status))
    }

    /// - Parameters:
    ///   - timelines: each service's timeline (see `timeline(of:estate:period:series:)`), keyed by id.
    ///   - metrics: each service's selected metric series, keyed by id (services without selectors: absent).
    ///   - previousFreeze: each service's deploy-freeze flag in the previous period (absent: not frozen).
    public static func report(estate: Estate, period: Period, generatedAt: Millis, timelines: [String: Timeline],
                              metrics: [String: ServiceMetrics] = [:],
                              previousFreeze: [String: Bool] = [:]) throws(ArithmeticOverflowError) -> ComplianceReport {
        var builder = ComplianceReportBuilder(estate: estate, period: period, generatedAt: generatedAt,
                                              previousFreeze: previousFreeze)
        for id in builder.serviceIDs {
            try builder.add(service: id, timeline: timelines[id], metrics: metrics[id])
        }
        return try builder.report()
    }
}
