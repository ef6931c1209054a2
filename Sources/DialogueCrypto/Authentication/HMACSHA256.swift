internal import CSodium

/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) with a key of any length (`crypto_auth_hmacsha256_*`).
///
/// The building block of ``HKDFSHA256`` (Spec: primitives.md#prim-hmac). One-shot:
///
/// ```swift
/// let tag = HMACSHA256.authenticationCode(for: message, using: key)
/// HMACSHA256.isValidAuthenticationCode(tag, authenticating: message, using: key)  // true
/// ```
///
/// or streaming, as a value that is copied on write like ``BLAKE2b/Hasher``:
///
/// ```swift
/// var mac = HMACSHA256(key: key)
/// mac.update(header)
/// mac.update(body)
/// let tag = mac.finalize()
/// ```
///
/// Tags are always the full 32 bytes: Dialogue never truncates an HMAC, and
/// ``isValidAuthenticationCode(_:authenticating:using:)`` rejects a tag of any other length.
public struct HMACSHA256: Sendable {
    /// The length of a tag: 32 bytes.
    public static let byteCount = 32

    /// A `crypto_auth_hmacsha256_state`.
    private var state: SodiumState

    /// Starts an HMAC computation under `key`.
    ///
    /// - Parameter key: The key, any length; keys longer than 64 bytes are hashed first, as
    ///   HMAC specifies.
    public init(key: some Sequence<UInt8>) {
        ensureSodiumInitializedOrTrap()
        state = SodiumState(byteCount: crypto_auth_hmacsha256_statebytes(), alignment: 16)
        let state = state
        withContiguousBytes(of: key) { key in
            _ = crypto_auth_hmacsha256_init(
                UnsafeMutablePointer(state.opaquePointer), key.bytes, key.count
            )
        }
    }

    /// Adds `bytes` to the authenticated message, without a copy when they are contiguous.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        withContiguousBytes(of: bytes) { update($0) }
    }

    /// Adds the bytes in `buffer` to the authenticated message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return
        }
        if !isKnownUniquelyReferenced(&state) {
            state = state.copy()
        }
        _ = crypto_auth_hmacsha256_update(
            UnsafeMutablePointer(state.opaquePointer),
            base.assumingMemoryBound(to: UInt8.self),
            UInt64(buffer.count)
        )
    }

    /// Returns the 32-byte tag of everything added; the computation is consumed.
    public consuming func finalize() -> [UInt8] {
        var hmac = self
        return [UInt8](unsafeUninitializedCapacity: Self.byteCount) { output, initializedCount in
            hmac.finalize(into: output.baseAddress!)
            initializedCount = Self.byteCount
        }
    }

    /// Writes the 32-byte tag to `output`. The state is finished afterwards: do not use this
    /// value again (copies made before the call are unaffected).
    mutating func finalize(into output: UnsafeMutablePointer<UInt8>) {
        if !isKnownUniquelyReferenced(&state) {
            state = state.copy()
        }
        _ = crypto_auth_hmacsha256_final(UnsafeMutablePointer(state.opaquePointer), output)
    }

    /// Computes the 32-byte tag of `message` under `key`.
    public static func authenticationCode(for message: some Sequence<UInt8>, using key: some Sequence<UInt8>)
        -> [UInt8]
    {
        var hmac = HMACSHA256(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    /// Whether `code` is the tag of `message` under `key`, compared in constant time.
    ///
    /// - Returns: `false` if `code` does not have exactly 32 bytes: truncated tags are never
    ///   accepted (Spec: primitives.md#prim-hmac).
    public static func isValidAuthenticationCode(
        _ code: some Sequence<UInt8>,
        authenticating message: some Sequence<UInt8>,
        using key: some Sequence<UInt8>
    ) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, using: key), code)
    }
}
