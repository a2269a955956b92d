import Render
import Foundation

/// Writes a report directory so that no reader ever sees it half-written.
enum ReportDirectory {
    /// Renders into a temporary sibling, then renames it into place (replacing an older directory).
    static func write(_ files: [RenderedFile], to target: URL) throws {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(pid)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fm.removeItem(at: temporary)
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            for file in files {
                let path = temporary.appendingPathComponent(file.name)
                guard fm.createFile(atPath: path.path, contents: Data(file.contents)) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path.path])
                }
            }
            if fm.fileExists(atPath: target.path) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(pid)")
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: temporary, to: target)
                try fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temporary, to: target)
            }
        } catch {
            try? fm.removeItem(at: temporary)
            throw CommandFailure(ExitStatus.cannotCreate, "\(target.path): error: cannot write the report: \(error.localizedDescription)")
        }
    }
}
