extension ErrorBudget {
    /// The deploy-freeze recommendation (§5.4) with its hysteresis: a service freezes once its remaining
    /// budget is below 20 %, and a frozen service thaws only once remaining is back above 50 % — between
    /// the two it keeps whatever the previous period said.
    ///
    /// - `remainingPercent`: nil when there is nothing to judge by (no data), which keeps the previous flag.
    /// - `previousFreeze`: the flag of the period before; nil when there was none (the first report).
    ///
    /// 60 → 15 → 35 → 55 % remaining gives false, true, true, false.
    public static func freeze(remainingPercent: Ratio?, previousFreeze: Bool?) -> Bool {
        guard let remainingPercent else { return previousFreeze ?? false }
        if Checked.compare(remainingPercent, Ratio(20)) < 0 { return true }
        if previousFreeze == true { return Checked.compare(remainingPercent, Ratio(50)) <= 0 }
        return false
    }

    /// The remaining percentage that counts for the freeze: `remainingPercent`, or for a zero budget 0 %
    /// once anything was consumed and 100 % while nothing was; nil without data.
    public var freezeRemainingPercent: Ratio? {
        if let remainingPercent { return remainingPercent }
        switch status {
        case .exhausted: return .zero
        case .healthy: return Ratio.hundred
        default: return nil
        }
    }

    /// A service's freeze flag from all its budgets of one period: the service counts as its least
    /// remaining budget, so it freezes when any budget is below 20 % and thaws only when every budget with
    /// data is above 50 %.
    public static func freeze(service budgets: [ErrorBudget], previousFreeze: Bool?) -> Bool {
        let percents = budgets.compactMap(\.freezeRemainingPercent)
        guard var lowest = percents.first else { return freeze(remainingPercent: nil, previousFreeze: previousFreeze) }
        for p in percents.dropFirst() where Checked.compare(p, lowest) < 0 { lowest = p }
        return freeze(remainingPercent: lowest, previousFreeze: previousFreeze)
    }
}

extension ServiceBudgets {
    /// Each service's deploy-freeze flag in the period before `period`, computed from the data alone: the chain
    /// of previous periods of the same kind is replayed from the first one that ends after `earliestSample` (at
    /// most 12 back), each starting from the flags of the one before. So the flag never depends on which reports
    /// happened to be run before, and `verify` reproduces it.
    ///
    /// - Parameter data: one service's data for one period (nil: the service has no timeline); the caller
    ///   loads it, so Calc stays free of I/O. Services are asked for in id order, one at a time.
    public static func previousFreeze(estate: Estate, before period: Period, earliestSample: Millis?,
                                      data: (_ service: String, _ period: Period) throws -> ServiceData?) throws -> [String: Bool] {
        guard let earliestSample else { return [:] }
        var chain: [Period] = []
        var current = period
        while chain.count < 12,
              let previous = current.previous(zone: estate.timezone, fiscalYearStartMonth: estate.fiscalYearStartMonth),
              previous.interval.end > earliestSample {
            chain.append(previous)
            current = previous
        }
        var flags: [String: Bool] = [:]
        for previous in chain.reversed() {
            let plan = Plan(estate: estate, period: previous)
            var next: [String: Bool] = [:]
            for service in estate.services.sorted(by: { $0.id < $1.id }) {
                guard let serviceData = try data(service.id, previous) else { continue }
                let budgets: [ServiceBudget]
                do {
                    budgets = try plan.budgets(service: service.id, data: serviceData, previousFreeze: flags[service.id])
                } catch {
                    throw ArithmeticOverflowError(error.reason, period: previous.label)   // say which period it was
                }
                // A service without ratio objectives has no budget rows and so no flag.
                if next[service.id] == nil, let first = budgets.first { next[service.id] = first.freeze }
            }
            flags = next
        }
        return flags
    }
}
