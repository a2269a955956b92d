/// Everything the configuration says about the world being reported on: who provides which
/// service to whom, under which SLA, and how status data is to be read.
public struct Estate: Sendable {
    public var timezone: Zone
    public var currency: Currency
    public var moneyRounding: Rounding
    public var fiscalYearStartMonth: Int
    public var statusPolicy: StatusPolicy
    public var maintenance: [MaintenanceWindow]
    public var tiers: [String: Tier]
    public var providers: [Provider]
    public var customers: [Customer]
    public var services: [Service]
    public var leases: [Lease]

    public init(timezone: Zone, currency: Currency, moneyRounding: Rounding, fiscalYearStartMonth: Int,
                statusPolicy: StatusPolicy, maintenance: [MaintenanceWindow], tiers: [String: Tier],
                providers: [Provider], customers: [Customer], services: [Service], leases: [Lease]) {
        self.timezone = timezone
        self.currency = currency
        self.moneyRounding = moneyRounding
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.statusPolicy = statusPolicy
        self.maintenance = maintenance
        self.tiers = tiers
        self.providers = providers
        self.customers = customers
        self.services = services
        self.leases = leases
    }
}

/// An ISO 4217 currency and the digits of its minor unit.
public struct Currency: Equatable, Sendable {
    public var code: String
    public var minorUnitDigits: Int

    /// Known exponents; everything else has two minor-unit digits.
    public init(code: String) {
        self.code = code
        switch code {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF":
            minorUnitDigits = 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            minorUnitDigits = 3
        default:
            minorUnitDigits = 2
        }
    }
}

public struct MaintenanceWindow: Equatable, Sendable {
    public var service: String
    public var interval: Interval
    public var note: String
    public init(service: String, interval: Interval, note: String) {
        self.service = service
        self.interval = interval
        self.note = note
    }
}

public struct Provider: Equatable, Sendable {
    public var id: String
    public var name: String
    /// Exact decimal amount in `Estate.currency`.
    public var escrowBalance: Ratio
    public init(id: String, name: String, escrowBalance: Ratio) {
        self.id = id
        self.name = name
        self.escrowBalance = escrowBalance
    }
}

public struct Customer: Equatable, Sendable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public struct Service: Equatable, Sendable {
    public var id: String
    public var name: String
    public var provider: String
    /// The service name used in status exports.
    public var statusSeries: String
    /// Metric role (`requests`, `errors`, `latency`) → the series selector, parsed once when the config loads.
    public var metrics: [ServiceMetrics.Role: SeriesSelector]
    public init(id: String, name: String, provider: String, statusSeries: String,
                metrics: [ServiceMetrics.Role: SeriesSelector]) {
        self.id = id
        self.name = name
        self.provider = provider
        self.statusSeries = statusSeries
        self.metrics = metrics
    }
}

public struct Lease: Equatable, Sendable {
    public var id: String
    public var customer: String
    public var service: String
    /// Exact decimal amount in `Estate.currency`.
    public var monthlyFee: Ratio
    public var active: Interval
    /// The SLA history: each tier holds from its `from` until the next entry's.
    public var tiers: [TierSpan]
    public init(id: String, customer: String, service: String, monthlyFee: Ratio, active: Interval, tiers: [TierSpan]) {
        self.id = id
        self.customer = customer
        self.service = service
        self.monthlyFee = monthlyFee
        self.active = active
        self.tiers = tiers
    }
}

public struct TierSpan: Equatable, Sendable {
    public var tier: String
    public var from: Millis
    public init(tier: String, from: Millis) {
        self.tier = tier
        self.from = from
    }
}

/// What an objective measures (§3 "Metric kinds").
public enum MetricKind: String, Sendable, CaseIterable {
    case uptime, availability
    case latencyP50 = "latency_p50", latencyP95 = "latency_p95", latencyP99 = "latency_p99"
    case errorRate = "error_rate"
    case throughput

    /// `gte` for uptime, availability and throughput; `lte` for the others.
    public var higherIsBetter: Bool { self == .uptime || self == .availability || self == .throughput }
    public var isLatency: Bool { self == .latencyP50 || self == .latencyP95 || self == .latencyP99 }
    /// Uptime, availability and error rate are percentages; latency (ms) and throughput (req/s) are not.
    public var isPercentage: Bool { self == .uptime || self == .availability || self == .errorRate }
}

public struct Objective: Equatable, Sendable {
    public var id: String
    public var metric: MetricKind
    /// Percent for uptime/availability/error rate, milliseconds for latency, requests/s for throughput.
    public var target: Ratio
    /// nil: the whole period.
    public var window: Millis?
    public init(id: String, metric: MetricKind, target: Ratio, window: Millis?) {
        self.id = id
        self.metric = metric
        self.target = target
        self.window = window
    }
}

public struct CreditBracket: Equatable, Sendable {
    public var below: Ratio
    public var creditPercent: Ratio
    public init(below: Ratio, creditPercent: Ratio) {
        self.below = below
        self.creditPercent = creditPercent
    }
}

public struct CreditPolicy: Equatable, Sendable {
    public var objective: String
    public var brackets: [CreditBracket]
    public init(objective: String, brackets: [CreditBracket]) {
        self.objective = objective
        self.brackets = brackets
    }
}

public struct Tier: Equatable, Sendable {
    public enum Combine: String, Sendable, CaseIterable { case max, sum }
    public var name: String
    public var objectives: [Objective]
    public var warningBuffer: Ratio
    public var credits: [CreditPolicy]
    public var creditCombine: Combine
    public var maxCredit: Ratio
    public init(name: String, objectives: [Objective], warningBuffer: Ratio, credits: [CreditPolicy],
                creditCombine: Combine, maxCredit: Ratio) {
        self.name = name
        self.objectives = objectives
        self.warningBuffer = warningBuffer
        self.credits = credits
        self.creditCombine = creditCombine
        self.maxCredit = maxCredit
    }

    /// The built-in tiers of §3, in the deviation form of the seed SLAs.
    public static let builtIn: [String: Tier] = {
        func tier(_ name: String, uptime: String, latency: Int64, errorRate: String?) -> Tier {
            let target = DecimalText.parse(Substring(uptime))!
            var objectives = [
                Objective(id: "uptime", metric: .uptime, target: target, window: nil),
                Objective(id: "latency", metric: .latencyP99, target: Ratio(latency), window: Duration.day),
            ]
            if let errorRate {
                objectives.append(Objective(id: "errors", metric: .errorRate, target: DecimalText.parse(Substring(errorRate))!,
                                            window: Duration.day))
            }
            // `target` − k percentage points, on these constants (never on input).
            func below(_ k: Int128) -> Ratio { Ratio(target.numerator - k * target.denominator, target.denominator) }
            let brackets = [
                CreditBracket(below: target, creditPercent: Ratio(10)),
                CreditBracket(below: below(1), creditPercent: Ratio(25)),
                CreditBracket(below: below(5), creditPercent: Ratio(100)),
            ]
            return Tier(name: name, objectives: objectives, warningBuffer: Ratio(5),
                        credits: [CreditPolicy(objective: "uptime", brackets: brackets)],
                        creditCombine: .max, maxCredit: Ratio(100))
        }
        return [
            "bronze": tier("bronze", uptime: "99.0", latency: 1000, errorRate: nil),
            "silver": tier("silver", uptime: "99.5", latency: 500, errorRate: "1.0"),
            "gold": tier("gold", uptime: "99.9", latency: 200, errorRate: "0.1"),
            "platinum": tier("platinum", uptime: "99.99", latency: 100, errorRate: "0.01"),
        ]
    }()
}
