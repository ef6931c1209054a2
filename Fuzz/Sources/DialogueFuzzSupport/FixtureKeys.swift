public import DialogueCrypto
internal import DialogueIdentifiers

/// The signing keys of the published vectors, derived as the generator derives them
/// (Sources/DialogueConformance/Generator: `Seeds.bytes(label)` is BLAKE2b-256 of
/// `dialogue-conformance/v1/` and the label; the statement examples use seeds of one repeated
/// byte). ``SignedObjectMutator/learn(_:)`` finds which of them made each signature of the seeds,
/// under which context, and the mutator signs the mutated body with the same key: the fixed test
/// keys of the fuzzer.
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

    /// The signatures a fixture key made, and which key under which context: those that
    /// ``search(_:body:)`` found, and every one that ``sign(_:as:)`` made.
    nonisolated(unsafe) private static var known: [[UInt8]: Signer] = [:]
    /// The signatures that ``search(_:body:)`` found no fixture key for, so that it searches
    /// each at most once.
    nonisolated(unsafe) private static var searched: Set<[UInt8]> = []
    /// Every key and context that made a signature so far, the latest first: a search tries
    /// them before the others.
    nonisolated(unsafe) private static var recent: [Signer] = []
    /// How many times ``known`` was emptied to bound its memory; whoever learned from a corpus
    /// learns from it again when this changes.
    nonisolated(unsafe) public private(set) static var forgettings = 0
    /// The most signatures kept in ``known`` or ``searched``: about 100 bytes each, and the
    /// tables' own allocations stay below the fuzzer's 64 MB malloc limit.
    static let capacity = 400_000

    /// The key and context that made `signature`, if ``search(_:body:)`` found it or
    /// ``sign(_:as:)`` made it; no search.
    ///
    /// The mutator asks only this: a signature it has not seen is one that libFuzzer changed
    /// (or one it never saw, which ``search(_:body:)`` is for), and looking for its key among
    /// every key under every context costs hundreds of verifications in vain. It was half of
    /// the signed targets' time.
    static func signer(of signature: [UInt8]) -> Signer? {
        known[signature]
    }

    /// Looks for the key and context that made `signature` over `body`, trying the pairs that
    /// made a signature before first; once per signature.
    static func search(_ signature: [UInt8], body: [UInt8]) -> Signer? {
        if let signer = known[signature] { return signer }
        if searched.contains(signature) { return nil }
        for signer in recent where isSignature(signature, of: body, by: signer) {
            remember(signature, signer)
            return signer
        }
        for context in contexts.indices {
            for key in keys.indices {
                let signer = Signer(key: key, context: context)
                if !recent.contains(signer) && isSignature(signature, of: body, by: signer) {
                    recent.insert(signer, at: 0)
                    remember(signature, signer)
                    return signer
                }
            }
        }
        if searched.count >= capacity { searched.removeAll() }
        searched.insert(signature)
        return nil
    }

    /// `signer`'s signature of `body`, remembered so that the next mutation finds it at once.
    static func sign(_ body: [UInt8], as signer: Signer) -> [UInt8] {
        let signature = keys[signer.key].signature(for: contexts[signer.context] + [0] + body).rawRepresentation
        remember(signature, signer)
        return signature
    }

    private static func isSignature(_ signature: [UInt8], of body: [UInt8], by signer: Signer) -> Bool {
        keys[signer.key].publicKey.isValidSignature(signature, for: contexts[signer.context] + [0] + body)
    }

    private static func remember(_ signature: [UInt8], _ signer: Signer) {
        if known.count >= capacity {
            known.removeAll()
            forgettings += 1
        }
        known[signature] = signer
    }
}
