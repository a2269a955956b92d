import Foundation
import Testing
@testable import Ingest
@testable import Pipeline

/// The lock file is written (the holder's pid), so a link planted at its path must never redirect that write.
@Suite struct RunLockTests {
    static func setUp() throws -> (database: URL, target: URL, lock: URL) {
        let dir = try TestSupport.temporaryDirectory("slareport-lock")
        let target = dir.appendingPathComponent("precious.txt")
        try Data("keep me\n".utf8).write(to: target)
        let database = dir.appendingPathComponent("sla.db")
        return (database, target, RunLock.path(forDatabase: database))
    }

    @Test func aSymbolicLinkIsRefusedAndItsTargetKept() throws {
        let (database, target, lock) = try Self.setUp()
        try FileManager.default.createSymbolicLink(at: lock, withDestinationURL: target)
        do {
            _ = try RunLock.acquire(forDatabase: database)
            Issue.record("a symlinked lock file was accepted")
        } catch let failure as CommandFailure {
            #expect(failure.exitCode == ExitStatus.cannotCreate)
            #expect(failure.description == "\(lock.path): error: the lock file is a symbolic link; nothing was done; "
                    + "remove it (slareport creates the lock file itself)")
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
    }

    @Test func aHardLinkIsRefusedAndItsTargetKept() throws {
        let (database, target, lock) = try Self.setUp()
        try FileManager.default.linkItem(at: target, to: lock)
        #expect(throws: CommandFailure.self) { _ = try RunLock.acquire(forDatabase: database) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
    }

    @Test func aPlainLockFileHoldsThePid() throws {
        let (database, _, lock) = try Self.setUp()
        let held = try RunLock.acquire(forDatabase: database)
        #expect(try String(contentsOf: lock, encoding: .utf8) == "\(getpid())\n")
        withExtendedLifetime(held) {}
    }
}
