/// Accumulates the tests of one vector file, numbering them and checking each against the
/// reference implementation as it is added.
final class FileBuilder {
    let operation: String
    let description: String
    private let prefix: String
    private var groups: [TestGroup] = []
    private var usedFlags: [String] = []
    private var count = 0
    private let reference = ReferenceTarget()

    init(_ operation: String, _ description: String) {
        self.operation = operation
        self.description = description
        self.prefix = String(operation.map { $0 == "." ? "-" : $0 })
    }

    func group(_ comment: String) {
        groups.append(TestGroup(comment: comment, tests: []))
    }

    private func nextID() -> String {
        count += 1
        let digits = String(count)
        return "\(prefix)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)"
    }

    private func append(_ vector: TestVector) {
        for flag in vector.flags where !usedFlags.contains(flag) {
            precondition(Flags.notes[flag] != nil, "the flag \(flag) has no note")
            usedFlags.append(flag)
        }
        precondition(!vector.spec.isEmpty, "\(vector.id) cites no anchor")
        if groups.isEmpty { group("") }
        groups[groups.count - 1].tests.append(vector)
    }

    /// Adds a valid test; `expected` defaults to the reference implementation's whole output.
    @discardableResult
    func valid(
        _ comment: String, flags: [String] = ["Valid"], spec: [String], input: JSONValue, expected: JSONValue? = nil,
        crossCheck: JSONValue? = nil, construction: JSONValue? = nil
    ) async throws -> JSONValue {
        let id = nextID()
        let outcome = await reference.perform(operation, input: CompactBytes.expand(input))
        guard case .ok(let output) = outcome else {
            throw GenerationError(description: "\(id) (\(comment)): the reference gives \(outcome), not valid")
        }
        if let mismatch = ConformanceRunner.firstMismatch(expected: expected, actual: output) {
            throw GenerationError(description: "\(id) (\(comment)): \(mismatch)")
        }
        append(
            TestVector(
                id: id, comment: comment, flags: flags, spec: spec, input: input, result: .valid,
                expected: expected ?? output, crossCheck: crossCheck, construction: construction
            )
        )
        return output
    }

    /// Adds an invalid test, checking that the reference rejects it with `error` (and `detail`).
    func invalid(
        _ comment: String, flags: [String], spec: [String], input: JSONValue, error: String, detail: String? = nil,
        construction: JSONValue? = nil
    ) async throws {
        let id = nextID()
        let outcome = await reference.perform(operation, input: CompactBytes.expand(input))
        guard case .error(let errorClass, let actualDetail, let message) = outcome, errorClass == error,
            detail == nil || actualDetail == detail
        else {
            throw GenerationError(
                description:
                    "\(id) (\(comment)): expected \(error)\(detail.map { "/" + $0 } ?? ""), the reference gives \(outcome)"
            )
        }
        _ = message
        append(
            TestVector(
                id: id, comment: comment, flags: flags, spec: spec, input: input, result: .invalid, error: error,
                detail: detail, construction: construction
            )
        )
    }

    var file: VectorFile {
        VectorFile(
            operation: operation, description: description,
            notes: usedFlags.sorted().map { ($0, Flags.notes[$0]!) }, testGroups: groups.filter { !$0.tests.isEmpty }
        )
    }
}

/// Why the vectors could not be generated: the reference implementation disagrees with a vector.
public struct GenerationError: Error, CustomStringConvertible, Sendable {
    /// Which vector, and how the reference implementation disagrees with it.
    public let description: String
}

/// Every flag used in the vector files, with its meaning.
enum Flags {
    static let notes: [String: String] = [
        "Valid": "A valid input; the outputs in `expected` must match exactly.",
        "EpochRoll":
            "A membership event whose epoch breaks list-epoch-roll: a removal, a departure or a key roll that does not start a new epoch, or an epoch that skips.",
        "LatestEvent":
            "A list's latest membership event checked as an author that does not follow the index reads it from the list's information, with no previous event (list-ep-info-author).",
        "Sequence":
            "A list object out of its list's order: an event serial or an index position that skips or repeats (list-event-verify, list-index-contiguous).",
        "EpochKey":
            "An epoch key that does not match: a public key that is not its secret key's, or a post sealed to an epoch that is not the list's there.",
        "AppendixA": "An example of RFC 8949 Appendix A.",
        "Truncated": "The input ends before the item or object is complete.",
        "DripFeed": "A strict prefix of a valid object: every prefix must be rejected.",
        "TrailingData": "Bytes follow a complete item or object.",
        "NonCanonical": "A well-formed but non-canonical encoding (Dialogue accepts exactly one encoding per value).",
        "NonShortest": "An integer, length or count not written in its shortest form.",
        "Indefinite": "An indefinite-length item or a break code.",
        "MapOrder": "Map keys out of bytewise order, or repeated.",
        "MapKeyType": "A map key that is neither an integer nor a text string.",
        "InvalidUTF8": "A text string that is not valid UTF-8.",
        "TypeNotAllowed": "A float, tag, undefined or other simple value, which Dialogue does not use.",
        "NotWellFormed": "Not well-formed CBOR at all (RFC 8949 section 3).",
        "Limits": "A size, count or depth at or beyond a limit of the specification.",
        "Precedence": "Several faults at once: the first in the specification's order decides the error.",
        "WrongLength": "A field of the wrong length.",
        "UnknownVersion": "An unknown version, mode or algorithm.",
        "Layout": "A missing, extra or mistyped field.",
        "BadSignature": "A signature that does not verify: tampered body, tampered signature, other key or context.",
        "AEADTamper": "A tampered AEAD ciphertext or tag.",
        "KeyCommitment": "A message key that does not match the key commitment.",
        "LowOrderKey": "An X25519 public key of low order, in one of its encodings.",
        "WrongRecipient": "A key that the message was not sealed to, or that the manifest does not list.",
        "AddressMismatch": "An address that is not one the card or the recipient has.",
        "ChunkPosition": "A chunk at another position, dropped, duplicated or spliced from another part.",
        "Consistency": "Fields that disagree with each other.",
        "Case": "Upper- or mixed-case text where the specification says how case is treated.",
        "Identifier": "A malformed content identifier.",
        "Address": "An address that is not canonical or not valid.",
        "Passphrase": "A secret identity file sealed with a passphrase.",
        "PublicMode": "A public message: signed but not encrypted.",
        "BlindCopy": "A blind-copy manifest (Spec: msg-bcc).",
        "BlindCopyRandomness":
            "The randomness does not give one blind copy for each bcc recipient (Spec: msg-bcc-randomness).",
        "Context": "A hash or signature under the wrong context string, or an unknown one.",
        "EdgeCase": "An unusual but valid input.",
        "Limit": "A value exactly at a limit of the specification: valid.",
        "MultiChunk": "A part of more than one chunk.",
        "CrossCheck": "The runner also cross-checks this seal with fresh randomness, in both directions.",
        "SpecExample": "An example worked out in the specification's text.",
        "Duplicate": "A message delivered more than once (the same message identifier).",
        "KeyChange": "A signed message under another key than the pinned one, without a rotation that explains it.",
        "Latch": "A verified binding's key-change alarm, which stays until the user acts.",
        "Decision": "A user decision: verify, accept-change, withdraw, block or unblock.",
        "Rotation": "A rotation statement.",
        "Revocation": "A revocation statement.",
        "Forgery": "A rotation that is forged, or genuine but concerning another binding.",
        "Replay": "A statement received again, as is or in other bytes.",
        "Rollback": "A rotation that would move a binding backwards (trust-rollback).",
        "Conflict": "Two rotations signed by one key with one sequence number (trust-conflict).",
        "Skew": "Statement dates against the receiver's clock and the skew bound S (trust-skew).",
        "SharedKey": "One identity key on several addresses.",
        "LookAlike": "Addresses whose skeletons are equal (trust-look-alike).",
        "Blocked": "An address the user blocked.",
        "Unsigned": "An unsigned message claiming an address (trust-downgrade).",
        "TimeOrder": "A receive time before the previous event's, in a trust history.",
        "Clock":
            "A delivery object's dates against the verifier's clock: created ≤ now + S (S = 600 s), and its expiry.",
        "KeyValidity": "A server key used at a time outside its validity window (dlv-server-key-validity).",
        "BaseURL": "A base URL that breaks dlv-base-url, or an http base URL where it is not allowed.",
        "NotHex": "A byte string that is not hexadecimal: a character other than 0-9, a-f, A-F, or an odd length.",
        "Header":
            "A request-signature header field that is missing or on more than one line (dlv-request-verify step 1).",
        "StructuredField":
            "A header field that is not a strict RFC 8941 dictionary: syntax, duplicate keys, items outside the profile's subset.",
        "Base64":
            "A byte sequence that is not canonical padded base64: missing padding, non-zero fill bits, another alphabet.",
        "Whitespace": "Spaces the RFC 8941 grammar allows, which must not change the signature base.",
        "Profile":
            "A request outside the profile's table (dlv-request): signatures, labels, member types, methods, URIs.",
        "Components":
            "Covered components other than exactly (\"@method\" \"@target-uri\" \"content-digest\") without parameters.",
        "Parameters":
            "Signature parameters missing, extra, of the wrong type or value (created, expires, nonce, keyid, tag, alg).",
        "Nonce": "A request nonce: its form (16 to 64 of A-Z a-z 0-9 - _) or its replay (dlv-request-replay).",
        "KeyID": "A keyid that breaks dlv-request-keyid, or that does not name the signing key.",
        "Time": "A request's created and expires against each other and the verifier's clock (dlv-request-time).",
        "UnknownKey": "A request signed by a key the verifier cannot attribute (dlv-request-verify step 5).",
        "Digest": "A Content-Digest outside the profile (sha-256 only, 32 bytes), or a body that does not match it.",
    ]
}
