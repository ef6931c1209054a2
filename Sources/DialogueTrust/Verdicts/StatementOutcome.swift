public import DialogueIdentifiers
public import DialogueMessages

/// Why a statement was not applied and is worth telling the reader about
/// (Spec: trust.md#trust-statement-rules).
public enum StatementProblem: Hashable, Sendable {
    /// It does not decode or a signature does not verify: a damaged or forged statement.
    case invalid(reason: String)
    /// Its expiry (the sender's clock) is more than the skew bound in the past.
    case expired(expires: UInt64)
    /// It was created more than the skew bound in the future; it is held, not applied.
    case futureDated(created: UInt64)
    /// It would move a binding backwards: an out-of-sequence rotation, a rotation to a superseded
    /// key, or a rotation involving a revoked key.
    case rollback(reason: String)
    /// The old key signed two different rotations with the same sequence number.
    case conflict(oldKey: ContentIdentifier)

    /// `notice` for damaged, expired and future-dated statements; `alarm` for rollbacks and conflicts.
    public var severity: TrustSeverity {
        switch self {
        case .invalid, .expired, .futureDated: .notice
        case .rollback, .conflict: .alarm
        }
    }

    /// The problem's name in the specification.
    public var name: String {
        switch self {
        case .invalid: "invalid"
        case .expired: "expired"
        case .futureDated: "future-dated"
        case .rollback: "rollback"
        case .conflict: "conflict"
        }
    }

    /// A sentence for people.
    public var explanation: String {
        switch self {
        case .invalid(let reason):
            "A key-change statement in this message is damaged or not properly signed, so it was ignored (\(reason))."
        case .expired(let expires):
            "A key-change statement in this message expired on \(TrustText.date(expires)), so it was ignored."
        case .futureDated(let created):
            "A key-change statement in this message is dated \(TrustText.date(created)), later than this device's "
                + "clock allows. It is kept and will be considered once that time has come; one of the two clocks "
                + "may be wrong."
        case .rollback(let reason):
            "A key-change statement in this message would take the sender back to an older or withdrawn key, so it "
                + "was ignored (\(reason)). This can be an old statement delivered again, or an attempt to bring a "
                + "retired key back into use."
        case .conflict(let oldKey):
            "The key \(oldKey.text(kind: .identityKey)) has signed two different successors. Only its holder can do "
                + "that, so the key may be in someone else's hands as well. Key changes for this contact are frozen "
                + "until you decide."
        }
    }
}

/// A statement that was not applied, and needs no attention (Spec: trust.md#trust-statement-rules).
public enum IgnoredStatement: String, Hashable, Sendable {
    /// Already applied: a replay or a copy.
    case replay = "replay"
    /// The same rotation (old key, sequence, new key) in other bytes, already applied.
    case restatement = "restatement"
    /// Already judged and reported once.
    case alreadyJudged = "already-judged"
    /// Future-dated, held, and still in the future.
    case stillHeld = "still-held"
    /// A revocation of a key that is already revoked.
    case alreadyRevoked = "already-revoked"
}

/// What processing one statement did (Spec: trust.md#trust-statement-rules).
public enum StatementOutcome: Hashable, Sendable {
    /// A rotation was applied: `moved` are the bindings whose pin moved.
    case rotationApplied(from: ContentIdentifier, to: ContentIdentifier, moved: [Address])
    /// A revocation was applied: `affected` are the bindings that pinned the key.
    case revocationApplied(key: ContentIdentifier, reason: String, affected: [Address])
    /// Nothing to do.
    case ignored(IgnoredStatement)
    /// Not applied, and worth telling.
    case problem(StatementProblem)

    /// How loudly to show it.
    public var severity: TrustSeverity {
        switch self {
        case .rotationApplied: .notice
        case .revocationApplied(_, _, let affected): affected.isEmpty ? .info : .alarm
        case .ignored: .info
        case .problem(let problem): problem.severity
        }
    }

    /// A sentence for people.
    public var explanation: String {
        switch self {
        case .rotationApplied(let from, let to, let moved):
            "Signed key change from \(from.text(kind: .identityKey)) to \(to.text(kind: .identityKey)), "
                + (moved.isEmpty
                    ? "recorded." : "applied to \(moved.map(\.text).joined(separator: ", ")).")
        case .revocationApplied(let key, let reason, let affected):
            "The key \(key.text(kind: .identityKey)) was revoked by its holder"
                + (reason.isEmpty ? "" : " (\"\(reason)\")")
                + (affected.isEmpty ? "." : "; it was the key of \(affected.map(\.text).joined(separator: ", ")).")
        case .ignored(let reason):
            "Statement ignored: \(reason.rawValue)."
        case .problem(let problem):
            problem.explanation
        }
    }
}
