import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line returned by `LineReader.next()`: its bytes (without the `\n`) in the reader's buffer, valid until
/// the next call.
package struct TextLine {
    package var bytes: UnsafeBufferPointer<UInt8>
    /// 1-based.
    package var number: Int
    /// False for a last line that has no `\n` after it.
    package var isTerminated: Bool
}

/// Reads a text file line by line with `read(2)` into one bounded buffer, checking that each line is UTF-8 and at
/// most `maxLineBytes` long, so memory stays bounded whatever the file's size. A UTF-8 byte order mark at the start
/// is skipped (columns are counted after it). Problems are `Diagnostic`s with the line (and column).
package final class LineReader {
    package let displayName: String
    package let maxLineBytes: Int
    /// Bytes read from the file so far (0 at the end means the file is empty).
    private(set) var bytesRead = 0

    private let fd: Int32
    private let chunkSize: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var pos = 0
    private var end = 0
    private var atEOF = false
    private var checkedBOM = false
    private var nextNumber = 1

    /// Opens `path`; a file that cannot be opened throws a `Diagnostic` whose `isNoInput` is true.
    package init(path: String, displayName: String, chunkSize: Int = 1 << 16,
         maxLineBytes: Int = CSVReader.defaultMaxRecordBytes) throws(Diagnostic) {
        precondition(chunkSize > 0 && maxLineBytes > 0)
        self.displayName = displayName
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
        fd = try InputFileProblem.openForReading(path, displayName: displayName)
        capacity = maxLineBytes + 1 + chunkSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// The next line, or nil at the end of the file.
    package func next() throws(Diagnostic) -> TextLine? {
        while true {
            if !checkedBOM {
                if end - pos < 3 && !atEOF {
                    try refill()
                    continue
                }
                if end - pos >= 3, buffer[pos] == 0xEF, buffer[pos + 1] == 0xBB, buffer[pos + 2] == 0xBF { pos += 3 }
                checkedBOM = true
            }
            let start = pos
            var terminated = false
            var stop = end
            if let found = memchr(buffer + start, 0x0A, end - start) {
                stop = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                terminated = true
            } else if !atEOF {
                if end - start > maxLineBytes { throw tooLong() }
                try refill()
                continue
            } else if start == end {
                return nil
            }
            let length = stop - start
            if length > maxLineBytes { throw tooLong() }
            if let bad = CSVReader.firstInvalidUTF8(buffer + start, length) {
                throw Diagnostic(file: displayName, line: nextNumber, column: bad + 1,
                                 message: "invalid UTF-8 (byte 0x\(JSONTokenizer.hex(UInt32(buffer[start + bad]), 2)))")
            }
            let line = TextLine(bytes: UnsafeBufferPointer(start: buffer + start, count: length), number: nextNumber,
                                isTerminated: terminated)
            pos = terminated ? stop + 1 : stop
            nextNumber += 1
            return line
        }
    }

    private func tooLong() -> Diagnostic {
        Diagnostic(file: displayName, line: nextNumber, column: nil, message: "line is longer than \(maxLineBytes) bytes")
    }

    private func refill() throws(Diagnostic) {
        if pos > 0 {
            let pending = end - pos
            if pending > 0 { memmove(buffer, buffer + pos, pending) }
            pos = 0
            end = pending
        }
        let room = min(chunkSize, capacity - end)
        precondition(room > 0, "LineReader buffer full")
        let n = try InputFileProblem.readChunk(fd, into: buffer + end, count: room, displayName: displayName)
        end += n
        bytesRead += n
        atEOF = n == 0
    }
}
