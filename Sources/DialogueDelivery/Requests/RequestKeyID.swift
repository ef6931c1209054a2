public import DialogueIdentifiers
public import DialogueMessages

/// Who signed a request: the `keyid` parameter, `PRINCIPAL/FINGERPRINT`
/// (Spec: delivery.md#dlv-request-keyid).
///
/// ```
/// alice@example.org/key-aei…    a user request: a canonical address and its identity key's fingerprint
/// example.org/srv-aeq…          a server request: a canonical domain and one of its server key fingerprints
/// ```
///
/// The text is canonical, and so is each part: the fingerprint is in lower case, the only
/// spelling of its identifier. A key identifier is also half of the replay-cache key
/// ([dlv-request-replay]), so one key must not have two spellings.
public struct RequestKeyID: Hashable, Sendable, CustomStringConvertible {
    /// Who the principal is.
    public enum Principal: Hashable, Sendable {
        /// A user of a home server, by canonical address.
        case user(Address)
        /// A server, by the canonical domain it speaks for.
        case server(domain: String)
    }

    /// The principal.
    public let principal: Principal

    /// The fingerprint: of the user's identity key (kind `key`) or of a server key (kind `srv`).
    public let fingerprint: ContentIdentifier

    /// A user request's key identifier.
    public init(user: Address, fingerprint: ContentIdentifier) {
        principal = .user(user)
        self.fingerprint = fingerprint
    }

    /// A server request's key identifier.
    ///
    /// - Throws: ``DeliveryError`` `malformed` when `domain` is not a canonical domain.
    public init(server domain: String, fingerprint: ContentIdentifier) throws(DeliveryError) {
        try RequestKeyID.checkDomain(domain)
        principal = .server(domain: domain)
        self.fingerprint = fingerprint
    }

    /// Parses a `keyid` ([dlv-request-keyid]).
    ///
    /// - Throws: ``DeliveryError`` `malformed` for anything but a canonical address followed by a
    ///   `key` fingerprint, or a canonical domain followed by a `srv` fingerprint, each
    ///   fingerprint in its lower-case text form.
    public init(parsing text: String) throws(DeliveryError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .malformed("keyid '\(text)' is not PRINCIPAL/FINGERPRINT")
        }
        let principalText = String(parts[0])
        let fingerprintText = String(parts[1])
        if principalText.contains("@") {
            let address: Address
            do { address = try Address(canonical: principalText) } catch {
                throw .malformed("keyid: '\(principalText)' is not a canonical address: \(error)")
            }
            principal = .user(address)
            fingerprint = try RequestKeyID.fingerprint(fingerprintText, kind: .identityKey, of: "a user")
        } else {
            try RequestKeyID.checkDomain(principalText)
            principal = .server(domain: principalText)
            fingerprint = try RequestKeyID.fingerprint(fingerprintText, kind: .serverKey, of: "a server")
        }
    }

    /// `user` or `server`, as `request.verify` reports it.
    public var kind: String {
        switch principal {
        case .user: return "user"
        case .server: return "server"
        }
    }

    /// The address or the domain.
    public var principalText: String {
        switch principal {
        case .user(let address): return address.text
        case .server(let domain): return domain
        }
    }

    /// `PRINCIPAL/FINGERPRINT`.
    public var text: String {
        switch principal {
        case .user(let address): return address.text + "/" + fingerprint.text(kind: .identityKey)
        case .server(let domain): return domain + "/" + fingerprint.text(kind: .serverKey)
        }
    }

    /// The text.
    public var description: String { text }

    /// A domain is canonical when it is the domain of a canonical address (Spec: identities.md#addr).
    static func checkDomain(_ domain: String) throws(DeliveryError) {
        guard !domain.contains("@") else { throw .malformed("'\(domain)' is not a domain") }
        do { _ = try Address(canonical: "x@" + domain) } catch {
            throw .malformed("'\(domain)' is not a canonical domain: \(error)")
        }
    }

    private static func fingerprint(_ text: String, kind: IdentifierKind, of principal: String)
        throws(DeliveryError) -> ContentIdentifier
    {
        let identifier: ContentIdentifier
        do { identifier = try ContentIdentifier(text: text, kind: kind) } catch {
            throw .malformed("keyid: the fingerprint of \(principal) is a '\(kind.prefix)' identifier: \(error)")
        }
        guard identifier.text(kind: kind) == text else {
            throw .malformed("keyid: the fingerprint '\(text)' is not in its lower-case text form")
        }
        return identifier
    }
}
