/// A context string from the registry (Spec: identifiers.md#id-registry).
///
/// Every hash, signature, key derivation and MAC in Dialogue is separated by
/// one of these. All of them are declared in this file, so that the code's
/// registry can be compared line by line with the specification's table.
public struct DomainContext: Hashable, Sendable, CustomStringConvertible {
    /// The context string's ASCII bytes, without the terminating zero byte.
    public let bytes: [UInt8]

    private init(_ string: StaticString) {
        let bytes = string.withUTF8Buffer { Array($0) }
        precondition(!bytes.contains(0), "context strings never contain a zero byte")
        self.bytes = bytes
    }

    /// The context string as text.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Content hash of a blob, its identifier.
    public static let blob = DomainContext("dialogue-v1/blob")

    /// Fingerprint of an Ed25519 identity public key (Spec: identities.md#keys).
    public static let identityKey = DomainContext("dialogue-v1/identity-key")

    /// Signature of an identity card's body (Spec: identities.md#card).
    public static let card = DomainContext("dialogue-v1/card")

    /// Signature of a message manifest (Spec: messages.md#msg-seal).
    public static let manifest = DomainContext("dialogue-v1/manifest")

    /// Message identifier: hash of a signed manifest (Spec: messages.md#msg-id).
    public static let message = DomainContext("dialogue-v1/message")

    /// Commitment to a message key (Spec: messages.md#msg-commitment).
    public static let keyCommitment = DomainContext("dialogue-v1/key-commitment")

    /// HKDF info deriving the header key from the message key (Spec: messages.md#msg-seal).
    public static let headerKey = DomainContext("dialogue-v1/header-key")

    /// HKDF info deriving a stanza's wrap key (Spec: messages.md#msg-seal).
    public static let stanza = DomainContext("dialogue-v1/stanza")

    /// Associated data of a passphrase-sealed secret identity file (Spec: identities.md#secret).
    public static let secretIdentity = DomainContext("dialogue-v1/secret-identity")

    /// Signature of a rotation statement's body, by the old and by the new identity key
    /// (Spec: trust.md#trust-rotation).
    public static let rotation = DomainContext("dialogue-v1/rotation")

    /// Signature of a revocation statement's body, by the revoked key (Spec: trust.md#trust-revocation).
    public static let revocation = DomainContext("dialogue-v1/revocation")

    /// Hash of a statement's body: its identity, and the link from one rotation to the next
    /// (Spec: trust.md#trust-statement-hash).
    public static let statement = DomainContext("dialogue-v1/statement")

    /// Hash from which an identity's safety number is read (Spec: trust.md#trust-safety-number).
    public static let safetyNumber = DomainContext("dialogue-v1/safety-number")

    /// Hash chain of a trust store's event log (Spec: trust.md#trust-store-log).
    public static let trustEvent = DomainContext("dialogue-v1/trust-event")

    /// Fingerprint of an Ed25519 server public key (Spec: delivery.md#dlv-server-keys).
    public static let serverKey = DomainContext("dialogue-v1/server-key")

    /// Signatures of a server document's body, by each key it lists (Spec: delivery.md#dlv-server-document).
    public static let serverDocument = DomainContext("dialogue-v1/server-document")

    /// Signature of a submission's body, by the sender's identity key (Spec: delivery.md#dlv-submission).
    public static let submission = DomainContext("dialogue-v1/submission")

    /// Submission identifier: the hash of a signed submission (Spec: delivery.md#dlv-submission).
    public static let submissionID = DomainContext("dialogue-v1/submission-id")

    /// Signature of a notification's body, by the sending server's key (Spec: delivery.md#dlv-notification).
    public static let notification = DomainContext("dialogue-v1/notification")

    /// Signature of an acknowledgement's body, by the recipient's identity key (Spec: delivery.md#dlv-ack).
    public static let acknowledgement = DomainContext("dialogue-v1/acknowledgement")

    /// Signature of a list descriptor's body, by the list key (Spec: lists.md#list-descriptor).
    public static let listDescriptor = DomainContext("dialogue-v1/list-descriptor")

    /// Signature of a list membership event's body, by the list key (Spec: lists.md#list-event).
    public static let listEvent = DomainContext("dialogue-v1/list-event")

    /// Signature of an epoch-key delivery's body, by the list key (Spec: lists.md#list-keys).
    public static let listKeys = DomainContext("dialogue-v1/list-keys")

    /// Signature of a list post's body, by the author's identity key (Spec: lists.md#list-post).
    public static let listPost = DomainContext("dialogue-v1/list-post")

    /// Signature of a list index entry's body, by the list server's key (Spec: lists.md#list-index).
    public static let listEntry = DomainContext("dialogue-v1/list-entry")

    /// Every context in the registry, in the specification's order.
    public static let registry: [DomainContext] = [
        .blob, .identityKey, .card, .manifest, .message, .keyCommitment, .headerKey, .stanza, .secretIdentity,
        .rotation, .revocation, .statement, .safetyNumber, .trustEvent, .serverKey, .serverDocument, .submission,
        .submissionID, .notification, .acknowledgement, .listDescriptor, .listEvent, .listKeys, .listPost,
        .listEntry,
    ]
}
