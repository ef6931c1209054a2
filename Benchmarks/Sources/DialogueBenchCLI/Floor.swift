// `dialogue-bench-cli floor INPUT`: the least work any implementation of the chunk format must do
// to seal INPUT, done with raw libsodium calls and nothing else. It reads the file in 1 MiB
// chunks on every core, encrypts each in place with crypto_aead_xchacha20poly1305_ietf and hashes
// the ciphertext with crypto_generichash (the blob identifier), then throws both away: no
// manifest, no signature, no storage. Seal can only get closer to this figure, never under it, so
// it is the reference that shows how much of `seal`'s time is the library's and how much is the
// format's (Spec: messages.md#msg-parts).
import CSodiumBench
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

enum Floor {
    static func run(input: String) throws {
        guard sodium_init() >= 0 else { throw Failure("sodium_init failed") }
        let descriptor = open(input, O_RDONLY)
        guard descriptor >= 0 else { throw Failure("cannot open \(input)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure("cannot stat \(input)") }
        let chunk = 1 << 20
        let chunkCount = max(1, (Int(status.st_size) + chunk - 1) / chunk)
        let workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let key = [UInt8](repeating: 7, count: 32)
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk + 16)
            defer { buffer.deallocate() }
            var nonce = [UInt8](repeating: 0, count: 24)
            var tag = [UInt8](repeating: 0, count: 16)
            var digest = [UInt8](repeating: 0, count: 32)
            for index in stride(from: worker, to: chunkCount, by: workers) {
                let count = pread(descriptor, buffer, chunk, off_t(index * chunk))
                guard count >= 0 else {
                    failures.increment()
                    return
                }
                nonce[0] = UInt8(truncatingIfNeeded: index)
                nonce[1] = UInt8(truncatingIfNeeded: index >> 8)
                crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                    buffer, &tag, nil, buffer, UInt64(count), nil, 0, nil, nonce, key)
                (buffer + count).update(from: tag, count: 16)
                crypto_generichash(&digest, 32, buffer, UInt64(count + 16), nil, 0)
            }
        }
        guard failures.value == 0 else { throw Failure("cannot read \(input)") }
    }

    /// A thread-safe count of failed reads.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }
}
