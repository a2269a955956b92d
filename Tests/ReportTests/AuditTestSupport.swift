import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the audit and cron tests (run, verify, check, crash safety, large imports).
enum AuditTestSupport {
    /// The regular files below `directory` (recursively), relative path → bytes.
    static func tree(_ directory: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return out }
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = try Data(contentsOf: url)
            }
        }
        return out
    }

    /// Starts `executable` with stdin, stdout and stderr on /dev/null and without SOURCE_DATE_EPOCH, through
    /// `posix_spawn`: the child stays ours until `waitpid`, so a `kill` can never reach a reused pid.
    static func spawn(_ executable: String, _ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment
            .filter { $0.key != "SOURCE_DATE_EPOCH" }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw CocoaError(.executableLoad) }
        return pid
    }

    /// Waits for a spawned child: the signal that ended it, or its exit code.
    static func wait(_ pid: pid_t) -> (signal: Int32, exitCode: Int32) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal != 0 && signal != 0x7F ? (signal, -1) : (0, (status >> 8) & 0xFF)
    }
}
