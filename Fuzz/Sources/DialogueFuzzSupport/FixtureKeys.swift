public import DialogueCrypto
internal import DialogueIdentifiers

/// The signing keys of the published vectors, derived as the generator derives them
/// (Sources/DialogueConformance/Generator: `Seeds.bytes(label)` is BLAKE2b-256 of
/// `dialogue-conformance/v1/` and the label; the statement examples use seeds of one repeated
/// byte). The mutator finds which of them made a signature, under which context, and signs the
/// mutated body with the same key: the fixed test keys of the fuzzer.
public enum FixtureKeys {
    /// One key and the contexts it may sign under.
    struct Signer: Hashable {
        let key: Int
        let context: Int
    }

    static let labels = [
        "identity/alice/ed25519", "identity/bob/ed25519", "identity/carol/ed25519", "identity/mallory/ed25519",
        "identity/dave/ed25519", "server/example.org/1/ed25519", "server/example.org/2/ed25519",
        "server/example.com/1/ed25519", "request/server/example.net/current", "request/server/example.net/old",
        "request/server/example.net/next", "request/server/example.com/current", "statement/bob-2",
        "statement/carol-2", "unused", "identity/bob-other/ed25519", "identity/dev-list/ed25519",
        "server/lists.example.org/1/ed25519", "server/lists.example.org/2/ed25519",
    ]

    /// The keys: the labelled seeds, then the seeds 01…09 repeated.
    static let keys: [Ed25519.SigningKey] = {
        let labelled = labels.map { BLAKE2b256.hash(Array("dialogue-conformance/v1/\($0)".utf8)) }
        let repeated = (1...9).map { [UInt8](repeating: UInt8($0), count: 32) }
        return (labelled + repeated).map { try! Ed25519.SigningKey(seed: $0) }
    }()

    /// The fixture key whose public key is `publicKey`, or `nil`: the secret behind a key that a
    /// vector's context names (to sign a card for a user of the `http` target's server).
    public static func signingKey(for publicKey: [UInt8]) -> Ed25519.SigningKey? {
        keys.first { $0.publicKey.rawRepresentation == publicKey }
    }

    /// The contexts of the registry (Spec: identifiers.md#id-registry).
    static let contexts: [[UInt8]] = DomainContext.registry.map(\.bytes)

    // The fuzzer is single-threaded: libFuzzer calls the mutator from one thread, and the
    // differential harness runs one input at a time.
    nonisolated(unsafe) private static var found: [[UInt8]: Signer?] = [:]

    /// The key and context that made `signature` over `body`, or `nil`.
    static func signer(of signature: [UInt8], body: [UInt8]) -> Signer? {
        if let known = found[signature] { return known }
        var result: Signer?
        search: for (contextIndex, context) in contexts.enumerated() {
            let message = context + [0] + body
            for (keyIndex, key) in keys.enumerated()
            where key.publicKey.isValidSignature(signature, for: message) {
                result = Signer(key: keyIndex, context: contextIndex)
                break search
            }
        }
        if found.count > 100_000 { found.removeAll() }
        found[signature] = result
        return result
    }

    /// `signer`'s signature of `body`, remembered so that the next mutation finds it at once.
    static func sign(_ body: [UInt8], as signer: Signer) -> [UInt8] {
        let signature = keys[signer.key].signature(for: contexts[signer.context] + [0] + body).rawRepresentation
        if found.count > 100_000 { found.removeAll() }
        found[signature] = signer
        return signature
    }
}
