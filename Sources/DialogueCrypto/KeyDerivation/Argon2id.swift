internal import CSodium

/// Argon2id version 1.3 (RFC 9106) password hashing, libsodium's `crypto_pwhash` with
/// `crypto_pwhash_ALG_ARGON2ID13` (Spec: primitives.md#prim-argon2id).
///
/// Dialogue uses it to derive the key that seals a secret file from a passphrase:
///
/// ```swift
/// let salt = SecureRandom.bytes(count: Argon2id.saltByteCount)
/// let key = try Argon2id.deriveKey(
///     password: passphrase.utf8, salt: salt,
///     opsLimit: Argon2id.opsLimitModerate, memLimit: Argon2id.memLimitModerate)
/// ```
///
/// libsodium fixes the parallelism at 1 lane and has no secret or associated data inputs; the
/// memory limit is in bytes (libsodium rounds it down to whole KiB). The work factors are stored
/// with the sealed file, so they can be raised later without breaking old files.
public enum Argon2id {
    /// The length of a salt: 16 bytes.
    public static let saltByteCount = crypto_pwhash_argon2id_saltbytes()

    /// The smallest output: 16 bytes.
    public static let minimumOutputByteCount = crypto_pwhash_argon2id_bytes_min()

    /// The smallest number of passes: 1.
    public static let minimumOpsLimit = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_opslimit_min()))

    /// The largest number of passes libsodium accepts.
    public static let maximumOpsLimit = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_opslimit_max()))

    /// The smallest memory limit: 8192 bytes.
    public static let minimumMemLimit = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_memlimit_min()))

    /// The largest memory limit libsodium accepts on this platform.
    public static let maximumMemLimit = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_memlimit_max()))

    // libsodium's limits are `size_t` functions, which import as `Int`; read them as unsigned.

    /// libsodium's "interactive" passes: 2.
    public static let opsLimitInteractive = Int(
        clamping: UInt(bitPattern: crypto_pwhash_argon2id_opslimit_interactive()))

    /// libsodium's "interactive" memory: 64 MiB.
    public static let memLimitInteractive = Int(
        clamping: UInt(bitPattern: crypto_pwhash_argon2id_memlimit_interactive()))

    /// libsodium's "moderate" passes: 3.
    public static let opsLimitModerate = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_opslimit_moderate()))

    /// libsodium's "moderate" memory: 256 MiB.
    public static let memLimitModerate = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_memlimit_moderate()))

    /// libsodium's "sensitive" passes: 4.
    public static let opsLimitSensitive = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_opslimit_sensitive()))

    /// libsodium's "sensitive" memory: 1 GiB.
    public static let memLimitSensitive = Int(clamping: UInt(bitPattern: crypto_pwhash_argon2id_memlimit_sensitive()))

    /// Derives `outputByteCount` bytes from a password.
    ///
    /// This takes as long and as much memory as the limits say; call it off latency-sensitive
    /// threads.
    ///
    /// - Parameters:
    ///   - password: The password bytes (for text, its UTF-8 encoding); may be empty.
    ///   - salt: A random salt of exactly 16 bytes, stored next to what the key protects.
    ///   - opsLimit: The number of passes over the memory, at least 1.
    ///   - memLimit: The memory to use, in bytes, at least 8192.
    ///   - outputByteCount: The key length, at least 16; 32 unless given.
    /// - Returns: The derived key.
    /// - Throws: ``CryptoError/Code/invalidParameter`` for a salt that is not 16 bytes or limits
    ///   outside libsodium's ranges; ``CryptoError/Code/outputLengthTooLarge`` or
    ///   ``CryptoError/Code/invalidParameter`` for an output length outside its range;
    ///   ``CryptoError/Code/operationFailed`` if libsodium fails (typically when the memory
    ///   cannot be allocated).
    public static func deriveKey(
        password: some Sequence<UInt8>,
        salt: some Collection<UInt8>,
        opsLimit: Int,
        memLimit: Int,
        outputByteCount: Int = 32
    ) throws(CryptoError) -> SecureBytes {
        try ensureSodiumInitialized()
        guard salt.count == saltByteCount else {
            throw CryptoError(code: .invalidParameter, reason: "Argon2id salt has \(salt.count) bytes, not 16")
        }
        guard (minimumOpsLimit...maximumOpsLimit).contains(opsLimit) else {
            throw CryptoError(code: .invalidParameter, reason: "Argon2id opsLimit \(opsLimit) is out of range")
        }
        guard (minimumMemLimit...maximumMemLimit).contains(memLimit) else {
            throw CryptoError(code: .invalidParameter, reason: "Argon2id memLimit \(memLimit) is out of range")
        }
        guard outputByteCount >= minimumOutputByteCount else {
            throw CryptoError(
                code: .invalidParameter,
                reason: "Argon2id output length \(outputByteCount) is below \(minimumOutputByteCount)"
            )
        }
        guard UInt(outputByteCount) <= UInt(bitPattern: crypto_pwhash_argon2id_bytes_max()) else {
            throw CryptoError(
                code: .outputLengthTooLarge, reason: "Argon2id output length \(outputByteCount) is too large")
        }
        var status: Int32 = -1
        let key = withContiguousBytes(of: password) { password in
            withContiguousBytes(of: salt) { salt in
                SecureBytes(count: outputByteCount) { output in
                    guard UInt(password.count) <= UInt(bitPattern: crypto_pwhash_argon2id_passwd_max()) else {
                        return
                    }
                    status = crypto_pwhash(
                        output.bytes, UInt64(outputByteCount),
                        UnsafeRawPointer(password.bytes).assumingMemoryBound(to: CChar.self), UInt64(password.count),
                        salt.bytes, UInt64(opsLimit), memLimit, crypto_pwhash_alg_argon2id13()
                    )
                }
            }
        }
        guard status == 0 else {
            throw CryptoError(
                code: .operationFailed,
                reason: "crypto_pwhash failed (password too long, or memory could not be allocated)"
            )
        }
        return key
    }
}
