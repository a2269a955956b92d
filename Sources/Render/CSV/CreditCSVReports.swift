import Calc

/// `credits.csv`, `escrow.csv` and `violations.csv` (§6). No totals rows: every row is data.
public enum CreditCSVReports {
    public static func credits(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: [
            "lease", "customer", "provider", "service", "tier", "month", "segment_start", "segment_end", "currency",
            "monthly_fee", "prorated_fee", "achieved_pct", "credit_pct", "credit_amount",
        ])
        let timestamp = TimestampTexts()
        for line in report.credits {
            table.rows.append([
                .text(line.lease), .text(line.customer), .text(line.provider), .text(line.service), .text(line.tier),
                .number(line.month), .number(timestamp(line.segment.start)), .number(timestamp(line.segment.end)),
                .text(line.currency.code), .number(line.monthlyFeeAmount.formatted), .number(line.proratedFeeAmount.formatted),
                .number(Format.percent(line.achieved)), .number(Format.percent(line.creditPercent)),
                .number(line.creditAmount.formatted),
            ])
        }
        return table
    }

    public static func escrow(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: ["provider", "currency", "opening_balance", "credits", "closing_balance", "shortfall"])
        for line in report.escrow {
            table.rows.append([
                .text(line.provider), .text(line.currency.code), .number(line.openingBalance.formatted),
                .number(line.credits.formatted), .number(line.closingBalance.formatted), .number(line.shortfall.formatted),
            ])
        }
        return table
    }

    public static func violations(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: [
            "lease", "customer", "provider", "service", "objective", "metric", "window_start", "window_end", "target",
            "actual", "status",
        ])
        let timestamp = TimestampTexts()
        for v in report.violations {
            table.rows.append([
                .text(v.lease), .text(v.customer), .text(v.provider), .text(v.service), .text(v.objective),
                .text(v.metric.rawValue), .number(timestamp(v.window.start)), .number(timestamp(v.window.end)),
                .number(Format.metricValue(v.target, v.metric)), .number(Format.metricValue(v.actual, v.metric)),
                .text(v.status.rawValue),
            ])
        }
        return table
    }

    public static func budgets(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: [
            "service", "objective", "metric", "target", "budget", "consumed", "remaining_pct", "status", "burn_1h",
            "burn_6h", "burn_24h", "freeze",
        ])
        for row in report.budgets {
            let b = row.budget
            let hasData = b.status != nil
            table.rows.append([
                .text(row.service), .text(b.objective.id), .text(b.objective.metric.rawValue),
                .number(Format.metricValue(b.objective.target, b.objective.metric)),
                .number(hasData ? Format.budgetAmount(b.budget, b.unit) : ""),
                .number(hasData ? Format.budgetAmount(b.consumed, b.unit) : ""),
                .number(Format.percent(b.remainingPercent)), .text(b.status?.rawValue ?? ""),
            ] + b.burnRates.map { .number($0.worst?.formatted(places: 4) ?? "") } + [.text(row.freeze ? "true" : "false")])
        }
        return table
    }
}
