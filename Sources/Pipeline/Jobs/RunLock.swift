import Ingest
import Storage
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive lock `run` holds: `flock(2)` on `<database>.lock`, beside the database.
///
/// The kernel drops the lock when the process ends, however it ends (`kill -9` included), so a stale lock
/// never blocks the next cron run. The file itself stays; it holds the pid of the last holder, for the message
/// a concurrent run prints.
package final class RunLock {
    package let path: URL
    private let fd: Int32

    private init(path: URL, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The lock file for a database: `data/sla.db` → `data/sla.db.lock`.
    package static func path(forDatabase database: URL) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + ".lock")
    }

    /// Takes the lock without waiting; exit 75 when another process holds it.
    package static func acquire(forDatabase database: URL) throws -> RunLock {
        let path = Self.path(forDatabase: database)
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [Diagnostic(file: path.deletingLastPathComponent().path,
                                                                             message: "cannot create the database folder: \(Diagnostic.reason(of: error))")])
        }
        // Never through a symbolic link, and only a plain file with one name: the pid is written into the file, and a
        // link planted at this path must not let a run overwrite whatever it points at.
        let fd = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            let symlink = errno == ELOOP
            let reason = String(cString: strerror(errno))
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [symlink
                ? Diagnostic(file: path.path, message: "the lock file is a symbolic link; nothing was done",
                             hint: "remove it (slareport creates the lock file itself)")
                : Diagnostic(file: path.path, message: "cannot open the lock file: \(reason)")])
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1 else {
            close(fd)
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [Diagnostic(
                file: path.path, message: "the lock file is not a plain file with one name; nothing was done",
                hint: "remove it (slareport creates the lock file itself)")])
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            var holder = ""
            if busy, let text = try? String(contentsOf: path, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                holder = " (pid \(pid))"
            }
            close(fd)
            if busy {
                throw CommandFailure(ExitStatus.tempFail, diagnostics: [Diagnostic(
                    file: path.path, message: "another slareport run holds the lock\(holder)", hint: "nothing was done, try again later")])
            }
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [Diagnostic(file: path.path, message: "cannot lock: \(reason)")])
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return RunLock(path: path, fd: fd)
    }
}
