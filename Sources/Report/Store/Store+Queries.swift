import Calc

extension Store {
    /// The time of the earliest stored status or metric sample, or nil for an empty store.
    func earliestSampleTime() throws -> Millis? {
        let s = try database.statement("""
            SELECT min(t) FROM (SELECT min(t) AS t FROM status_sample UNION ALL SELECT min(t) FROM metric_sample)
            """)
        defer { s.reset() }
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int(0)
    }
}
