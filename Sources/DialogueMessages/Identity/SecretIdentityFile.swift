internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers

/// The on-disk form of a ``SecretIdentity``, plain or sealed with a passphrase
/// (Spec: identities.md#secret).
public enum SecretIdentityFile {
    /// Argon2id costs for sealing with a passphrase.
    public struct PassphraseParameters: Sendable, Hashable {
        /// Argon2id passes.
        public var opsLimit: Int
        /// Argon2id memory, in bytes.
        public var memLimit: Int

        /// What writers use: 3 passes over 64 MiB.
        public static let standard = PassphraseParameters(opsLimit: 3, memLimit: 64 << 20)
        /// The floor the specification accepts, for tests: 1 pass over 8 KiB.
        public static let minimum = PassphraseParameters(opsLimit: 1, memLimit: 8 << 10)

        /// Creates parameters.
        public init(opsLimit: Int, memLimit: Int) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }
    }

    /// Limits a reader accepts before it runs Argon2id (Spec: [secret-limits]).
    static let acceptedOpsLimits = 1...10
    static let acceptedMemLimits = (8 << 10)...(1 << 30)

    /// Encodes `identity`, sealed with `passphrase` when one is given.
    ///
    /// `salt` and `nonce` are drawn at random unless given (test vectors give them).
    public static func encode(
        _ identity: SecretIdentity,
        passphrase: String? = nil,
        parameters: PassphraseParameters = .standard,
        salt: [UInt8]? = nil,
        nonce: [UInt8]? = nil
    ) throws(MessageError) -> [UInt8] {
        let body = identity.signingKey.seed.withUnsafeBytes { seed in
            identity.encryptionKey.rawRepresentation.withUnsafeBytes { secret in
                Schema.encode(
                    .map([
                        .init(key: 0, value: .bytes(Array(seed))),
                        .init(key: 1, value: .bytes(Array(secret))),
                        .init(key: 2, value: .bytes(identity.card.encodedBytes)),
                    ])
                )
            }
        }
        guard let passphrase else {
            return Schema.encode(
                .map([.init(key: 0, value: 1), .init(key: 1, value: 0), .init(key: 2, value: .bytes(body))]))
        }
        // Never write a file that a reader would refuse (Spec: [secret-limits]).
        guard acceptedOpsLimits.contains(parameters.opsLimit), acceptedMemLimits.contains(parameters.memLimit) else {
            throw .limits(
                "Argon2id opslimit \(parameters.opsLimit) or memlimit \(parameters.memLimit) is outside the accepted range"
            )
        }
        let salt = salt ?? SecureRandom.bytes(count: 16)
        guard salt.count == 16 else { throw .malformed("the salt must be 16 bytes") }
        let nonceBytes = nonce ?? SecureRandom.bytes(count: XChaCha20Poly1305.nonceByteCount)
        let key = try deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        guard let nonce = try? XChaCha20Poly1305.Nonce(rawRepresentation: nonceBytes) else {
            throw .malformed("the nonce must be 24 bytes")
        }
        let sealed = XChaCha20Poly1305.seal(
            body, using: key, nonce: nonce, authenticating: DomainContext.secretIdentity.bytes)
        return Schema.encode(
            .map([
                .init(key: 0, value: 1),
                .init(key: 1, value: 1),
                .init(key: 2, value: .bytes(sealed)),
                .init(key: 3, value: .bytes(salt)),
                .init(key: 4, value: .unsigned(UInt64(parameters.opsLimit))),
                .init(key: 5, value: .unsigned(UInt64(parameters.memLimit))),
                .init(key: 6, value: .bytes(nonceBytes)),
            ])
        )
    }

    /// Whether the file is sealed with a passphrase (so a caller knows to ask for one).
    public static func isSealed(_ bytes: [UInt8]) throws(MessageError) -> Bool {
        let node = try Schema.decode(bytes[...], "secret identity file")
        try Schema.requireVersion(node, "secret identity file")
        let mode = try Schema.reading("secret identity file") { () throws(CBORError) in try node.mapValue(forKey: 1) }
        guard let mode else { throw .malformed("secret identity file has no mode") }
        return try Schema.unsigned(mode, "secret identity file mode") == 1
    }

    /// Decodes a secret identity file, opening it with `passphrase` if it is sealed.
    public static func decode(_ bytes: [UInt8], passphrase: String? = nil) throws(MessageError) -> SecretIdentity {
        let node = try Schema.decode(bytes[...], "secret identity file")
        try Schema.requireVersion(node, "secret identity file")
        var mode: UInt64 = 0
        var payload: [UInt8] = []
        var salt: [UInt8] = []
        var opsLimit: UInt64 = 0
        var memLimit: UInt64 = 0
        var nonce: [UInt8] = []
        try Schema.map(node, "secret identity file") { (reader: inout CBORMapReader) throws(MessageError) in
            _ = try Schema.required(&reader, 0, "version")
            mode = try Schema.unsigned(Schema.required(&reader, 1, "mode"), "mode")
            // The mode is read with the version, before the layout it decides ([secret-limits]).
            guard mode <= 1 else { throw MessageError(.unsupportedVersion, "secret identity file mode \(mode)") }
            payload = Array(try Schema.bytes(Schema.required(&reader, 2, "payload"), "payload"))
            guard mode == 1 else { return }
            salt = try Schema.bytes(Schema.required(&reader, 3, "salt"), count: 16, "salt")
            opsLimit = try Schema.unsigned(Schema.required(&reader, 4, "opslimit"), "opslimit")
            memLimit = try Schema.unsigned(Schema.required(&reader, 5, "memlimit"), "memlimit")
            nonce = try Schema.bytes(Schema.required(&reader, 6, "nonce"), count: 24, "nonce")
        }
        switch mode {
        case 0:
            return try decodeBody(payload)
        case 1:
            // Checked first, so that a hostile file is refused before anyone is asked for a passphrase
            // and before Argon2id runs (Spec: [secret-limits]).
            guard acceptedOpsLimits.contains(Int(clamping: opsLimit)),
                acceptedMemLimits.contains(Int(clamping: memLimit))
            else {
                throw .limits("Argon2id opslimit \(opsLimit) or memlimit \(memLimit) is outside the accepted range")
            }
            guard let passphrase else {
                throw MessageError(.authenticationFailed, "the secret identity file is sealed; a passphrase is needed")
            }
            let key = try deriveKey(
                passphrase: passphrase, salt: salt,
                parameters: PassphraseParameters(opsLimit: Int(opsLimit), memLimit: Int(memLimit))
            )
            let body: [UInt8]
            do {
                body = try XChaCha20Poly1305.open(
                    payload, using: key, nonce: XChaCha20Poly1305.Nonce(rawRepresentation: nonce),
                    authenticating: DomainContext.secretIdentity.bytes
                )
            } catch {
                throw MessageError(.authenticationFailed, "wrong passphrase, or the file is damaged")
            }
            return try decodeBody(body)
        default:
            throw MessageError(.unsupportedVersion, "secret identity file mode \(mode) is not 0 or 1")
        }
    }

    private static func deriveKey(passphrase: String, salt: [UInt8], parameters: PassphraseParameters)
        throws(MessageError) -> XChaCha20Poly1305.Key
    {
        do {
            let raw = try Argon2id.deriveKey(
                password: Array(passphrase.utf8), salt: salt,
                opsLimit: parameters.opsLimit, memLimit: parameters.memLimit
            )
            return try XChaCha20Poly1305.Key(rawRepresentation: raw)
        } catch {
            throw .limits("Argon2id refused the parameters: \(error)")
        }
    }

    private static func decodeBody(_ body: [UInt8]) throws(MessageError) -> SecretIdentity {
        let node = try Schema.decode(body[...], "secret identity body")
        var seed: [UInt8] = []
        var secret: [UInt8] = []
        var cardBytes: ArraySlice<UInt8> = []
        try Schema.map(node, "secret identity body") { (reader: inout CBORMapReader) throws(MessageError) in
            seed = try Schema.bytes(Schema.required(&reader, 0, "seed"), count: 32, "Ed25519 seed")
            secret = try Schema.bytes(Schema.required(&reader, 1, "secret"), count: 32, "X25519 secret")
            cardBytes = try Schema.bytes(Schema.required(&reader, 2, "card"), "card")
        }
        defer {
            for index in seed.indices { seed[index] = 0 }
            for index in secret.indices { secret[index] = 0 }
        }
        // A card that does not decode or verify makes the file malformed (Spec: [secret-consistency]).
        let card: IdentityCard
        do {
            card = try IdentityCard(decoding: cardBytes)
        } catch {
            throw .malformed("the card in the secret identity file is not valid: \(error)")
        }
        guard let signingKey = try? Ed25519.SigningKey(seed: seed),
            let encryptionKey = try? X25519.PrivateKey(rawRepresentation: secret)
        else { throw .malformed("secret keys must be 32 bytes") }
        return try SecretIdentity(signingKey: signingKey, encryptionKey: encryptionKey, card: card)
    }
}
