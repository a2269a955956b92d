import Ingest
import Storage
import Foundation

/// Messages for people go to stderr; stdout carries only what a command is asked to print.
package struct Log: Sendable {
    package let write: @Sendable (String) -> Void

    package init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    package static let standardError = Log { message in
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    package func callAsFunction(_ message: String) { write(message) }
}
