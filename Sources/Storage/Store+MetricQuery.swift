import Ingest
import Calc
import Foundation

extension Store {
    /// Every stored metric series whose name and labels `selector` matches, with its samples in `[from, to)` in
    /// time order (a matching series with no sample in the range is returned with none), sorted by identity.
    ///
    /// A selector with a metric name looks only at series of that name; the label matchers (regexes included) are
    /// applied here, by `SeriesSelector.matches`, to the labels as stored.
    package func metricSeries(matching selector: SeriesSelector, from: Millis, to: Millis) throws -> [MetricSeries] {
        let candidates: Statement
        if let name = selector.metricName {
            candidates = try database.statement("SELECT id, name, labels FROM metric_series WHERE name = ?")
            try candidates.bind(.text(name))
        } else {
            candidates = try database.statement("SELECT id, name, labels FROM metric_series")
        }
        var matched: [(id: Int64, series: MetricSeries)] = []
        while try candidates.step() {
            let text = candidates.text(1) + candidates.text(2)
            let key: MetricSeriesKey
            do { key = try MetricSeriesText.parse(text) } catch {
                throw SQLiteError(code: 0, message: "metric_series \(candidates.int(0)) holds malformed labels \(MessageText.quoted(text)): \(error)")
            }
            let series = MetricSeries(name: key.name, labels: key.labels, samples: [])
            if selector.matches(series) { matched.append((candidates.int(0), series)) }
        }
        candidates.reset()
        matched.sort { $0.series.identity < $1.series.identity }

        let samples = try database.statement(
            "SELECT t, value FROM metric_sample WHERE series_id = ? AND t >= ? AND t < ? ORDER BY t")
        return try matched.map { id, series in
            var series = series
            try samples.bind(.int(id), .int(from), .int(to))
            while try samples.step() {
                let text = samples.text(1)
                guard let value = MetricValue.parse(Substring(text)) else {
                    throw SQLiteError(code: 0, message: "metric_sample of \(series.identity) holds a malformed value \(MessageText.quoted(text))")
                }
                series.samples.append(MetricSample(time: samples.int(0), value: value))
            }
            samples.reset()
            return series
        }
    }
}
