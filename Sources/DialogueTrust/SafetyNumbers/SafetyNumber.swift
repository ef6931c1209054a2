public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// The 30 decimal digits that stand for one (address, identity key) binding, for people to
/// compare through another channel (Spec: trust.md#trust-safety-number).
///
/// ```
/// h      = BLAKE2b-256("dialogue-v1/safety-number" || 0x00 || u16be(len(address)) || address || identity key)
/// group i = u40be(h[5i : 5i+5]) mod 100000, written with 5 digits, for i = 0 … 5
/// ```
public struct SafetyNumber: Hashable, Sendable, CustomStringConvertible {
    /// The address.
    public let address: Address
    /// The identity key.
    public let identityKey: Ed25519.VerifyingKey
    /// The 30 digits, without spaces.
    public let digits: String

    /// Computes the safety number of `address` bound to `identityKey`.
    public init(address: Address, identityKey: Ed25519.VerifyingKey) {
        self.address = address
        self.identityKey = identityKey
        let digest = BLAKE2b256.hash(SafetyNumber.hashInput(address: address, identityKey: identityKey))
        var text = ""
        for group in 0..<6 {
            let value = digest[(5 * group)..<(5 * group + 5)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            text += SafetyNumber.fiveDigits(value % 100_000)
        }
        digits = text
    }

    /// The bytes that are hashed.
    static func hashInput(address: Address, identityKey: Ed25519.VerifyingKey) -> [UInt8] {
        let addressBytes = Array(address.text.utf8)
        var input = DomainContext.safetyNumber.bytes
        input.append(0)
        input.append(UInt8(addressBytes.count >> 8))
        input.append(UInt8(addressBytes.count & 0xff))
        input.append(contentsOf: addressBytes)
        input.append(contentsOf: identityKey.rawRepresentation)
        return input
    }

    static func fiveDigits(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: 5 - text.count) + text
    }

    /// The six groups of five digits.
    public var groups: [String] { SafetyNumber.groups(of: digits) }

    /// The identity key's fingerprint (kind `key`).
    public var fingerprint: ContentIdentifier {
        ContentIdentifier.hashing(identityKey.rawRepresentation, context: .identityKey)
    }

    /// The groups separated by spaces.
    public var description: String { groups.joined(separator: " ") }

    static func groups(of digits: String) -> [String] {
        let characters = Array(digits)
        return stride(from: 0, to: characters.count, by: 5).map {
            String(characters[$0..<min($0 + 5, characters.count)])
        }
    }
}

/// The 60 digits two people compare: both parties' safety numbers, the smaller first, so that
/// both see the same number (Spec: trust.md#trust-safety-number).
public struct PairSafetyNumber: Hashable, Sendable, CustomStringConvertible {
    /// The party whose safety number is smaller.
    public let first: SafetyNumber
    /// The other party.
    public let second: SafetyNumber

    /// Combines two parties' numbers; the order of the arguments does not matter.
    ///
    /// - Throws: ``MessageError`` `malformed` when both have the same address: one party does not
    ///   verify itself, and a payload naming one address twice would be rejected (Spec: [trust-verify-uri]).
    public init(_ a: SafetyNumber, _ b: SafetyNumber) throws(MessageError) {
        guard a.address != b.address else {
            throw MessageError(
                .malformed, "a pair safety number is for two different addresses, not \(a.address) twice")
        }
        if a.digits < b.digits || (a.digits == b.digits && a.address < b.address) {
            first = a
            second = b
        } else {
            first = b
            second = a
        }
    }

    /// The 60 digits, without spaces.
    public var digits: String { first.digits + second.digits }

    /// The twelve groups of five digits.
    public var groups: [String] { SafetyNumber.groups(of: digits) }

    /// The groups separated by spaces.
    public var description: String { groups.joined(separator: " ") }

    /// The groups as three lines of four, the way people read them aloud.
    public var lines: [String] {
        let groups = self.groups
        return stride(from: 0, to: groups.count, by: 4).map { groups[$0..<($0 + 4)].joined(separator: " ") }
    }

    /// The payload for a QR code or a link (Spec: [trust-verify-uri]):
    /// `dialogue-verify:1/<address>/<fingerprint>/<address>/<fingerprint>`, in the order of ``first``, ``second``.
    public var verificationURI: String {
        "\(VerificationPayload.scheme)1/\(first.address)/\(first.fingerprint.text(kind: .identityKey))/"
            + "\(second.address)/\(second.fingerprint.text(kind: .identityKey))"
    }
}

/// A parsed `dialogue-verify:` payload: two (address, fingerprint) pairs (Spec: [trust-verify-uri]).
public struct VerificationPayload: Hashable, Sendable {
    /// One party of the payload.
    public struct Party: Hashable, Sendable {
        /// The address.
        public let address: Address
        /// The fingerprint of its identity key.
        public let fingerprint: ContentIdentifier
    }

    /// The URI scheme, with its colon.
    public static let scheme = "dialogue-verify:"

    /// The two parties, in the payload's order.
    public let parties: [Party]

    /// Why a payload was refused: code `invalid-payload` and a reason.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The code, `invalid-payload`: a payload is refused as a whole, for one of the reasons below.
        public static let code = "invalid-payload"
        /// What was wrong: the scheme, the version, the field count, an address or a fingerprint.
        public let reason: String

        init(description reason: String) { self.reason = reason }

        /// `invalid-payload: reason`.
        public var description: String { "\(ParseError.code): \(reason)" }
    }

    /// Parses a payload. The scheme is case-insensitive, everything else is strict: version `1`,
    /// canonical addresses, fingerprints of kind `key`, exactly four fields.
    public init(parsing text: String) throws(ParseError) {
        let schemeLength = VerificationPayload.scheme.utf8.count
        guard text.utf8.count > schemeLength,
            String(decoding: text.utf8.prefix(schemeLength), as: UTF8.self).lowercased() == VerificationPayload.scheme
        else {
            throw ParseError(description: "a verification payload starts with '\(VerificationPayload.scheme)'")
        }
        let fields = String(decoding: text.utf8.dropFirst(schemeLength), as: UTF8.self)
            .split(separator: "/", omittingEmptySubsequences: false)
        guard fields.first == "1" else {
            throw ParseError(description: "unsupported payload version '\(fields.first ?? "")'")
        }
        guard fields.count == 5 else {
            throw ParseError(description: "a version 1 payload has 4 fields after the version, not \(fields.count - 1)")
        }
        var parties: [Party] = []
        for index in [1, 3] {
            guard let address = try? Address(canonical: String(fields[index])) else {
                throw ParseError(description: "'\(fields[index])' is not a canonical address")
            }
            do {
                let fingerprint = try ContentIdentifier(text: fields[index + 1], kind: .identityKey)
                parties.append(Party(address: address, fingerprint: fingerprint))
            } catch {
                throw ParseError(description: "'\(fields[index + 1])' is not a key fingerprint: \(error.reason)")
            }
        }
        guard parties[0].address != parties[1].address else {
            throw ParseError(description: "a payload names two different addresses")
        }
        self.parties = parties
    }

    /// The party whose address is not one of `own`, if exactly one is.
    public func otherParty(ownAddresses own: [Address]) -> Party? {
        let others = parties.filter { !own.contains($0.address) }
        return others.count == 1 ? others[0] : nil
    }
}
