import CCrypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 through the system's libcrypto (Foundation on Linux has none).
package enum SHA256 {
    package static func hex(of data: Data) -> String {
        let hasher = Hasher()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    /// Hashes a file without holding it whole: a regular file is mapped 1 MiB at a time (the page cache is read in
    /// place, no copy into a buffer, and each window is unmapped before the next, so memory stays bounded); what
    /// cannot be mapped (a pipe, an empty file, a failed mapping) is read in 1 MiB chunks from where mapping stopped.
    package static func hex(ofFileAt path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(fd) }
        let hasher = Hasher()
        var info = stat()
        let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        var offset = regular ? hashMapped(fd, size: Int(info.st_size), into: hasher) : 0
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = regular ? pread(fd, chunk.baseAddress, chunk.count, off_t(offset)) : read(fd, chunk.baseAddress, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown)
            }
            if n == 0 { return hasher.finish() }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[..<n]))
            offset += n
        }
    }

    package static let mapWindow = 1 << 20

    /// Feeds up to `size` bytes of `fd` to `hasher` through read-only mappings of `mapWindow` bytes; returns how many
    /// it fed (less than `size` when a mapping failed: the caller reads the rest).
    private static func hashMapped(_ fd: Int32, size: Int, into hasher: borrowing Hasher) -> Int {
        var offset = 0
        while offset < size {
            let length = min(mapWindow, size - offset)
            guard let window = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(offset)), window != MAP_FAILED else {
                return offset
            }
            _ = madvise(window, length, MADV_SEQUENTIAL)
            hasher.update(UnsafeRawBufferPointer(start: window, count: length))
            munmap(window, length)
            offset += length
        }
        return offset
    }

    package struct Hasher: ~Copyable {
        private let context: OpaquePointer

        package init() {
            context = EVP_MD_CTX_new()
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
        }

        deinit { EVP_MD_CTX_free(context) }

        package func update(_ bytes: UnsafeRawBufferPointer) {
            if let base = bytes.baseAddress { EVP_DigestUpdate(context, base, bytes.count) }
        }

        consuming func finish() -> String {
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, &digest, &length)
            let hexDigits = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(64)
            for b in digest { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
