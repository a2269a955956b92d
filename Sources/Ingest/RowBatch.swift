/// The rows a reader has read and not yet handed on. Every reader delivers in batches of `size` (and the rest
/// at the end), so memory stays bounded whatever the file's size; this is that one mechanism.
package struct RowBatch<Row> {
    package let size: Int
    private(set) var rows: [Row] = []
    /// Rows handed on so far.
    private(set) var delivered = 0

    package init(size: Int) {
        precondition(size > 0, "a batch holds at least one row")
        self.size = size
        rows.reserveCapacity(size)
    }

    /// Adds `row`; a full batch goes to `deliver`.
    package mutating func append(_ row: Row, deliver: ([Row]) throws -> Void) rethrows {
        rows.append(row)
        if rows.count >= size { try flush(deliver) }
    }

    /// Hands on the rows held, if any.
    package mutating func flush(_ deliver: ([Row]) throws -> Void) rethrows {
        guard !rows.isEmpty else { return }
        try deliver(rows)
        delivered += rows.count
        rows.removeAll(keepingCapacity: true)
    }

    /// Hands on the rest; returns how many rows were delivered in all.
    package mutating func finish(_ deliver: ([Row]) throws -> Void) rethrows -> Int {
        try flush(deliver)
        return delivered
    }
}
