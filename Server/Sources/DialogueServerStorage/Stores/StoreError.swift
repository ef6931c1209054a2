public import DialogueIdentifiers

/// Why a store refused an operation. The HTTP layer maps each case onto a problem
/// (Spec: delivery.md#dlv-errors).
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The record exists already (an account with this address).
    case alreadyExists(String)
    /// No such record.
    case notFound(String)
    /// A submission or a keep names blobs that the server does not hold: `409 missing-blobs`.
    case missingBlobs([ContentIdentifier])
    /// The record is gone: `410`.
    case gone(String)
    /// The change does not follow the state it was decided on (a list event whose serial is no longer
    /// the next, a descriptor whose revision is no longer larger): `400 malformed`.
    case conflict(String)
    /// The storage itself failed (I/O, database): `503`.
    case unavailable(String)

    /// One line for people.
    public var description: String {
        switch self {
        case .alreadyExists(let what): "already exists: \(what)"
        case .notFound(let what): "not found: \(what)"
        case .missingBlobs(let ids): "missing blobs: " + ids.map { $0.text(kind: .blob) }.joined(separator: ", ")
        case .gone(let what): "gone: \(what)"
        case .conflict(let what): "conflict: \(what)"
        case .unavailable(let why): "storage unavailable: \(why)"
        }
    }
}
