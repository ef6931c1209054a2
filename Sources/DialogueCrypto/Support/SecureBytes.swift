internal import CSodium

/// Bytes of secret material, zeroed when the last reference goes away.
///
/// Keys, shared secrets and derived keys keep their bytes in a `SecureBytes` value. The buffer is
/// allocated once, filled when the value is created and never changed afterwards; when the value
/// is released, the buffer is overwritten with `sodium_memzero`, which the compiler cannot
/// optimise away, before it is freed (Spec: primitives.md#prim-zeroize).
///
/// `SecureBytes` is a random-access collection of bytes, so it can be passed wherever
/// ``DialogueCrypto`` takes a sequence of bytes, without a copy. Copying it out (with
/// `Array(secret)`, say) makes an ordinary array that is not zeroed; avoid that for long-lived
/// secrets. Comparing two values with `==` takes a time that depends on their lengths only
/// (``ConstantTime/equals(_:_:)``). The description and the mirror never show the bytes.
///
/// The buffer is not locked into memory (`mlock`), so it may be swapped out like any other page.
public final class SecureBytes: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: the buffer is written only during `init`, before the
    // instance can be shared, and is read-only until `deinit`.

    private let base: UnsafeMutableRawPointer

    /// The number of bytes.
    public let count: Int

    /// Called by `deinit` with the zeroed buffer just before it is freed; for tests only.
    private let deinitObserver: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    /// Allocates `count` zeroed bytes and lets `body` fill them.
    init(
        count: Int,
        deinitObserver: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil,
        initializingWith body: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        precondition(count >= 0, "SecureBytes: negative count")
        // Never a zero-byte allocation, so the base address is valid even when `count` is 0.
        base = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 16)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(count, 1))
        self.count = count
        self.deinitObserver = deinitObserver
        body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Copies `bytes` into a new secure buffer.
    ///
    /// - Parameter bytes: The secret bytes. If they are held in an ordinary array, that array is
    ///   not zeroed by this call.
    public convenience init(_ bytes: some Collection<UInt8>) {
        let count = bytes.count
        self.init(count: count) { destination in
            let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
                if let source = source.baseAddress {
                    destination.baseAddress!.copyMemory(from: source, byteCount: count)
                }
            }
            if copied == nil {
                var offset = 0
                for byte in bytes {
                    precondition(offset < count, "SecureBytes: collection has more elements than its count")
                    destination[offset] = byte
                    offset += 1
                }
            }
        }
    }

    /// Creates `count` bytes from the system's secure random generator (`randombytes_buf`).
    ///
    /// - Parameter count: The number of random bytes; must not be negative.
    public convenience init(randomByteCount count: Int) {
        self.init(count: count) { SecureRandom.fill($0) }
    }

    deinit {
        sodium_memzero(base, Swift.max(count, 1))
        deinitObserver?(UnsafeRawBufferPointer(start: base, count: count))
        base.deallocate()
    }

    /// Calls `body` with the bytes.
    ///
    /// The buffer is valid only during the call; do not store or return it.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

extension SecureBytes: RandomAccessCollection {
    /// The position of the first byte: always 0.
    public var startIndex: Int { 0 }

    /// The position after the last byte: ``count``.
    public var endIndex: Int { count }

    /// The byte at `position`, which must be in `0..<count`.
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "SecureBytes: index out of range")
        return base.load(fromByteOffset: position, as: UInt8.self)
    }

    /// Calls `body` with the bytes, without a copy.
    public func withContiguousStorageIfAvailable<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }
}

extension SecureBytes: Equatable {
    /// Compares two secrets in a time that depends only on their lengths.
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        ConstantTime.equals(lhs, rhs)
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `SecureBytes(N bytes)`: the length, never the bytes.
    public var description: String { "SecureBytes(\(count) bytes)" }

    /// `SecureBytes(N bytes)`: the length, never the bytes.
    public var debugDescription: String { description }

    /// A mirror without children, so that `dump` does not print the bytes.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
