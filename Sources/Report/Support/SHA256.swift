import CCrypto
import Foundation

/// SHA-256 through the system's libcrypto (Foundation on Linux has none).
enum SHA256 {
    static func hex(of data: Data) -> String {
        let hasher = Hasher()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    /// Hashes a file in 1 MiB chunks, never holding it whole.
    static func hex(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        defer { try? handle.close() }
        let hasher = Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finish()
    }

    struct Hasher: ~Copyable {
        private let context: OpaquePointer

        init() {
            context = EVP_MD_CTX_new()
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
        }

        deinit { EVP_MD_CTX_free(context) }

        func update(_ bytes: UnsafeRawBufferPointer) {
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
