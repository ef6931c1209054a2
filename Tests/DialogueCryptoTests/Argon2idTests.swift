import DialogueCrypto
import Testing

@Suite("Argon2id")
struct Argon2idTests {
    /// Known answers from libsodium's own test suite (test/default/pwhash_argon2id.c, `tv()`,
    /// expected output in pwhash_argon2id.exp), which this libsodium reproduces. libsodium's test
    /// decodes the hex salt into a 16-byte buffer, so only its first 16 bytes are the salt.
    static let libsodiumKAT:
        [(password: String, salt: String, outputByteCount: Int, ops: Int, mem: Int, expected: String)] = [
            (
                "a347ae92bce9f80f6f595a4480fc9c2fe7e7d7148d371e9487d75f5c23008ffae0"
                    + "65577a928febd9b1973a5a95073acdbeb6a030cfc0d79caa2dc5cd011cef02c08d"
                    + "a232d76d52dfbca38ca8dcbd665b17d1665f7cf5fe59772ec909733b24de97d6f5"
                    + "8d220b20c60d7c07ec1fd93c52c31020300c6c1facd77937a597c7a6",
                "5541fbc995d5c197ba290346d2c559de",
                155, 5, 7_256_678,
                "18acec5d6507739f203d1f5d9f1d862f7c2cdac4f19d2bdff64487e60d969e3ced615337b9eec6ac4461c6ca07f0939741e57c24d0005c7ea171a0ee1e7348249d135b38f222e4dad7b9a033ed83f5ca27277393e316582033c74affe2566a2bea47f91f0fd9fe49ece7e1f79f3ad6e9b23e0277c8ecc4b313225748dd2a80f5679534a0700e246a79a49b3f74eb89ec6205fe1eeb941c73b1fcf1"
            ),
            (
                "b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b",
                "44071f6d181561670bda728d43fb79b4",
                231, 1, 1_631_659,
                "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1905e4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071ffa93c5309494ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda9894f8e12b87d978b483ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82fd667b85f5b2d98c13303b3fe76285531a826b6fc0fe8e3dddecf"
            ),
        ]

    @Test("libsodium's Argon2id known answers")
    func knownAnswers() throws {
        for vector in Self.libsodiumKAT {
            let key = try Argon2id.deriveKey(
                password: Hex.decode(vector.password),
                salt: Hex.decode(vector.salt),
                opsLimit: vector.ops,
                memLimit: vector.mem,
                outputByteCount: vector.outputByteCount
            )
            #expect(Hex.encode(key) == vector.expected)
        }
    }

    @Test("The mirrored limits are libsodium's")
    func limits() {
        #expect(Argon2id.saltByteCount == 16)
        #expect(Argon2id.opsLimitInteractive == 2 && Argon2id.memLimitInteractive == 64 << 20)
        #expect(Argon2id.opsLimitModerate == 3 && Argon2id.memLimitModerate == 256 << 20)
        #expect(Argon2id.opsLimitSensitive == 4 && Argon2id.memLimitSensitive == 1 << 30)
        #expect(Argon2id.minimumOpsLimit == 1 && Argon2id.minimumMemLimit == 8192)
        #expect(Argon2id.minimumOutputByteCount == 16)
    }

    @Test("Same inputs, same key; another salt or password, another key")
    func determinism() throws {
        let salt = SecureRandom.bytes(count: 16)
        func derive(_ password: String, _ salt: [UInt8]) throws -> SecureBytes {
            try Argon2id.deriveKey(password: password.utf8, salt: salt, opsLimit: 1, memLimit: 64 << 10)
        }
        let key = try derive("correct horse", salt)
        #expect(key.count == 32)
        #expect(try derive("correct horse", salt) == key)
        #expect(try derive("correct horse!", salt) != key)
        #expect(try derive("correct horse", SecureRandom.bytes(count: 16)) != key)
        #expect(try derive("", salt).count == 32)
    }

    @Test("Parameters outside libsodium's ranges are refused before any work")
    func parameterValidation() {
        let salt = [UInt8](repeating: 0, count: 16)
        let password = Array("pw".utf8)
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try Argon2id.deriveKey(password: password, salt: salt.dropLast(), opsLimit: 1, memLimit: 8192)
        }
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try Argon2id.deriveKey(password: password, salt: salt + [0], opsLimit: 1, memLimit: 8192)
        }
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try Argon2id.deriveKey(password: password, salt: salt, opsLimit: 0, memLimit: 8192)
        }
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try Argon2id.deriveKey(password: password, salt: salt, opsLimit: 1, memLimit: 8191)
        }
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try Argon2id.deriveKey(password: password, salt: salt, opsLimit: 1, memLimit: 8192, outputByteCount: 15)
        }
        // Refused before any allocation: libsodium's limit is 2^32 - 1 bytes.
        #expect(throws: CryptoError(code: .outputLengthTooLarge)) {
            try Argon2id.deriveKey(
                password: password, salt: salt, opsLimit: 1, memLimit: 8192, outputByteCount: 1 << 32
            )
        }
    }
}
