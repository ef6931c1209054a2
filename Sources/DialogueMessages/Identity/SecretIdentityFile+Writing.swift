extension SecretIdentityFile {
    /// Writes `identity` to a new secret identity file at `path`, readable and writable by its
    /// owner only (mode 0600, whatever the umask), atomically, and never over an existing file
    /// (Spec: [secret-mode]).
    ///
    /// The file appears whole or not at all: its bytes are written and synced under a temporary
    /// name, then linked to `path`, which fails if `path` exists.
    ///
    /// ```swift
    /// let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")])
    /// try SecretIdentityFile.write(alice, toFile: "alice.identity", passphrase: passphrase)
    /// ```
    ///
    /// - Parameters:
    ///   - identity: The identity to write.
    ///   - path: The new file; its directory must exist.
    ///   - passphrase: Seals the file with Argon2id and XChaCha20-Poly1305 when given.
    ///   - parameters: The Argon2id costs for a passphrase.
    /// - Throws: ``MessageError`` `limits-exceeded` for Argon2id costs a reader would refuse;
    ///   ``StorageError`` `already-exists` if `path` exists, `not-found` if its directory does
    ///   not, `io-error` if it cannot be written. Nothing is left behind on failure.
    public static func write(
        _ identity: SecretIdentity,
        toFile path: String,
        passphrase: String? = nil,
        parameters: PassphraseParameters = .standard
    ) throws {
        try write(encoded: encode(identity, passphrase: passphrase, parameters: parameters), toFile: path)
    }

    /// Writes an encoded secret identity file (from ``encode(_:passphrase:parameters:salt:nonce:)``)
    /// to a new file at `path`, mode 0600, atomically and exclusively, like
    /// ``write(_:toFile:passphrase:parameters:)``.
    ///
    /// - Parameters:
    ///   - bytes: The encoded file.
    ///   - path: The new file; its directory must exist.
    /// - Throws: ``StorageError`` `already-exists`, `not-found` or `io-error`.
    public static func write(encoded bytes: [UInt8], toFile path: String) throws(StorageError) {
        try ExclusiveFile.create(path, bytes, mode: 0o600)
    }
}
