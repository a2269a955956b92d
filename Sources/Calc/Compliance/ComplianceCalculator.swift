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
        let policy = estate.statusPolicy
        let providerNames = Dictionary(estate.providers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var services: [ServiceReport] = []
        var incidents: [Incident] = []
        for service in estate.services.sorted(by: { $0.id < $1.id }) {
            let timeline = timelines[service.id] ?? timeline(of: service.id, estate: estate, period: period, series: [])
            let stats = UptimeStats(timeline: timeline, window: period.interval, policy: policy, service: service.id)
            let months = period.months.map {
                UptimeStats(timeline: timeline, window: $0.interval, policy: policy, service: service.id)
            }
            services.append(ServiceReport(id: service.id, name: service.name, provider: service.provider,
                                          providerName: providerNames[service.provider] ?? service.provider,
                                          stats: stats, months: months))
            incidents += stats.outages + stats.degradations
        }
        incidents.sort { ($0.service, $0.start, $0.state) < ($1.service, $1.start, $1.state) }
        let totals = EstateTotals(
            services: services.count,
            eligibleMs: services.reduce(0) { $0 + $1.stats.eligibleMs },
            goodMs: services.reduce(Ratio.zero) { $0 + $1.stats.goodMs },
            downMs: services.reduce(0) { $0 + $1.stats.downMs },
            incidents: services.reduce(0) { $0 + $1.stats.incidentCount })
        let credits = try CreditCalculator.credits(estate: estate, period: period, timelines: timelines, metrics: metrics)
        var data: [String: ServiceData] = [:]
        for service in estate.services {
            data[service.id] = ServiceData(
                timeline: timelines[service.id] ?? timeline(of: service.id, estate: estate, period: period, series: []),
                metrics: metrics[service.id])
        }
        let budgets = try ServiceBudgets.budgets(estate: estate, period: period, data: data, previousFreeze: previousFreeze)
        return ComplianceReport(period: period, generatedAt: generatedAt, timezone: estate.timezone.identifier,
                                statusPolicy: policy, services: services, incidents: incidents, estate: totals,
                                currency: estate.currency, providerNames: providerNames,
                                customerNames: Dictionary(estate.customers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                                credits: credits,
                                escrow: CreditCalculator.escrow(estate: estate, lines: credits),
                                violations: try ViolationFinder.violations(estate: estate, period: period, timelines: timelines,
                                                                           metrics: metrics),
                                budgets: budgets)
    }
}
