/// Builds a `ComplianceReport` one service at a time. Every figure of a report needs one service's data at a
/// time: its uptime and incidents, its budgets, and the credits and violations of the leases on it. So a caller
/// that loads samples service by service (`ReportJob`) keeps one service's timeline and metric samples in
/// memory, plus the results, instead of the whole estate's data; the results are put in the report's order
/// (services, leases and rows sorted by id) at the end, whatever order the services came in.
public struct ComplianceReportBuilder: Sendable {
    let estate: Estate
    let period: Period
    let generatedAt: Millis
    let previousFreeze: [String: Bool]
    private let budgetPlan: ServiceBudgets.Plan
    private let servicesByID: [String: Service]
    private let providerNames: [String: String]
    /// Indices into `estate.leases` by service id.
    private let leasesByService: [String: [Int]]
    private var violationWindows: ViolationFinder.Windows

    private var serviceReports: [String: ServiceReport] = [:]
    private var budgets: [String: [ServiceBudget]] = [:]
    /// By index into `estate.leases`.
    private var credits: [Int: [CreditLine]] = [:]
    private var violations: [Int: [Violation]] = [:]
    private var added: Set<String> = []

    public init(estate: Estate, period: Period, generatedAt: Millis, previousFreeze: [String: Bool] = [:]) {
        self.estate = estate
        self.period = period
        self.generatedAt = generatedAt
        self.previousFreeze = previousFreeze
        budgetPlan = ServiceBudgets.Plan(estate: estate, period: period)
        servicesByID = Dictionary(estate.services.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        providerNames = Dictionary(estate.providers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        leasesByService = Dictionary(grouping: estate.leases.indices, by: { estate.leases[$0].service })
        violationWindows = ViolationFinder.Windows(period: period, zone: estate.timezone)
    }

    /// The ids a report needs data for: every configured service, then any other service a lease names (which
    /// a valid config does not have), each once.
    public var serviceIDs: [String] {
        var seen: Set<String> = []
        return (estate.services.map(\.id) + estate.leases.map(\.service)).filter { seen.insert($0).inserted }
    }

    /// Computes everything that depends on one service's data; the caller can drop `timeline` and `metrics`
    /// afterwards. A nil `timeline` means the service has no timeline: its uptime is computed over an empty
    /// (all unknown) one, and its leases have no data, so they earn no credit and show no violation.
    public mutating func add(service id: String, timeline: Timeline?,
                             metrics: ServiceMetrics?) throws(ArithmeticOverflowError) {
        guard added.insert(id).inserted else { return }
        if let service = servicesByID[id] {
            let serviceTimeline = timeline ?? ComplianceCalculator.timeline(of: id, estate: estate, period: period, series: [])
            serviceReports[id] = try serviceReport(service, timeline: serviceTimeline)
            budgets[id] = try budgetPlan.budgets(service: id, data: ServiceData(timeline: serviceTimeline, metrics: metrics),
                                                 previousFreeze: previousFreeze[id])
        }
        let provider = servicesByID[id]?.provider ?? ""
        let data = timeline.map { ServiceData(timeline: $0, metrics: metrics) }
        for index in leasesByService[id] ?? [] {
            let lease = estate.leases[index]
            credits[index] = try CreditCalculator.credits(of: lease, provider: provider, data: data, estate: estate,
                                                          period: period)
            if let data {
                violations[index] = try ViolationFinder.violations(of: lease, provider: provider, data: data, estate: estate,
                                                                   windows: &violationWindows)
            }
        }
    }

    private func serviceReport(_ service: Service, timeline: Timeline) throws(ArithmeticOverflowError) -> ServiceReport {
        let policy = estate.statusPolicy
        let stats = try UptimeStats(timeline: timeline, window: period.interval, policy: policy, service: service.id)
        var months: [UptimeStats] = []
        for month in period.months {
            months.append(try UptimeStats(timeline: timeline, window: month.interval, policy: policy, service: service.id))
        }
        return ServiceReport(id: service.id, name: service.name, provider: service.provider,
                             providerName: providerNames[service.provider] ?? service.provider, stats: stats, months: months)
    }

    /// The report, in its order: services by id, incidents by service, start and state, credits by lease (then
    /// month and segment), violations by lease, objective and window, budgets by service. Services never added
    /// count as having no timeline.
    public func report() throws(ArithmeticOverflowError) -> ComplianceReport {
        var complete = self
        for id in serviceIDs where !added.contains(id) {
            try complete.add(service: id, timeline: nil, metrics: nil)
        }
        return try complete.assemble()
    }

    private func assemble() throws(ArithmeticOverflowError) -> ComplianceReport {
        let sortedServices = estate.services.sorted(by: { $0.id < $1.id })
        let services = sortedServices.compactMap { serviceReports[$0.id] }
        var incidents = services.flatMap { $0.stats.outages + $0.stats.degradations }
        incidents.sort { ($0.service, $0.start, $0.state) < ($1.service, $1.start, $1.state) }
        var goodMs = Ratio.zero
        for service in services { goodMs = try goodMs + service.stats.goodMs }
        let eligibleMs = services.reduce(0) { $0 + $1.stats.eligibleMs }
        let totals = EstateTotals(
            services: services.count,
            eligibleMs: eligibleMs,
            goodMs: goodMs,
            downMs: services.reduce(0) { $0 + $1.stats.downMs },
            incidents: services.reduce(0) { $0 + $1.stats.incidentCount },
            uptimePercent: try Uptime.percent(goodMs: goodMs, eligibleMs: eligibleMs))
        let leaseOrder = estate.leases.indices.sorted { estate.leases[$0].id < estate.leases[$1].id }
        let creditLines = leaseOrder.flatMap { credits[$0] ?? [] }
        let escrow = try CreditCalculator.escrow(estate: estate, lines: creditLines)
        return ComplianceReport(period: period, generatedAt: generatedAt, timezone: estate.timezone.identifier, zone: estate.timezone,
                                statusPolicy: estate.statusPolicy, services: services, incidents: incidents, estate: totals,
                                currency: estate.currency, providerNames: providerNames,
                                customerNames: Dictionary(estate.customers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                                credits: creditLines,
                                escrow: escrow,
                                violations: ViolationFinder.sorted(leaseOrder.flatMap { violations[$0] ?? [] }),
                                budgets: sortedServices.flatMap { budgets[$0.id] ?? [] },
                                totalCredits: try Money.sum(creditLines.map(\.creditAmount), currency: estate.currency),
                                escrowTotals: try EscrowTotals(escrow, currency: estate.currency))
    }
}
