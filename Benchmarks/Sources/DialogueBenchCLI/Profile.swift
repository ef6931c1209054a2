// `dialogue-bench-cli profile WHAT ITERATIONS`: runs one small-message operation in a loop, for
// `perf record` or `valgrind --tool=callgrind` (the package-benchmark executables are awkward to
// profile directly). WHAT is seal-1, open-1, seal-1000 or open-1000 (stanza index known); and, to
// split the open's time, decode-manifest-N (step 7 alone) or signed-manifest-N (steps 6 to 12 without
// the envelope), for N = 1 or 1000.
import BenchmarkFixtures
import DialogueMessages

enum Profile {
    static func run(_ what: String, iterations: Int) async throws {
        let count = what.hasSuffix("-1000") ? 1000 : 1
        let recipients = count == 1 ? [Identities.recipient] : (1...count).map(Identities.make)
        let store = MemoryBlobStore()
        let sealer = MessageSealer(sender: Identities.sender, store: store)
        let draft = Messages.draft1KiB(to: recipients)
        let randomness = FixedRandomness.make(recipientCount: count, partCount: 1)
        let sealed = try await sealer.seal(draft, randomness: randomness)
        let stanza = count - 1
        let reader = recipients[sealed.stanzaIndices.firstIndex(of: stanza)!]
        var total = 0
        let manifestBytes = sealed.signedManifest.manifest.encoded()
        for _ in 0..<iterations {
            if what.hasPrefix("decode-manifest") {
                // Step 7 alone: decode the manifest (and its sender card, step 8, without verifying).
                total &+= try Manifest(decoding: manifestBytes[...]).recipients.count
            } else if what.hasPrefix("signed-manifest") {
                // Steps 6 to 12 without the envelope: decode, verify both signatures, check consistency.
                total &+= try SignedManifest(
                    decoding: sealed.signedManifest.encodedBytes, mode: .encrypted,
                    ephemeralKey: sealed.signedManifest.manifest.ephemeralKey,
                    keyCommitment: sealed.signedManifest.manifest.keyCommitment
                ).encodedBytes.count
            } else if what.hasPrefix("seal") {
                total &+= try await sealer.seal(draft, randomness: randomness).envelopeBytes.count
            } else {
                let opened = try EnvelopeOpener.open(sealed.envelopeBytes, as: reader, stanzaIndex: stanza)
                total &+= try await PartReader(part: opened.manifest.parts[0], store: store).readAll().count
            }
        }
        print(what, iterations, total)
    }
}
