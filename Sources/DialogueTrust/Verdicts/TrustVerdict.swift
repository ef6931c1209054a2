public import DialogueIdentifiers
public import DialogueMessages

/// What the trust layer concluded about the sender of one message (Spec: trust.md#trust-verdicts).
///
/// A verdict never stops a message: it says how far the sender's identity can be relied on,
/// how loudly to say so (``severity``), why (``explanation``), and how to check after the fact
/// (``howToVerify``).
///
/// ```swift
/// let (message, verdict) = try await opener.open(envelope, as: bob)
/// if verdict.severity == .alarm { showBanner(verdict.explanation) }
/// ```
public enum TrustVerdict: Hashable, Sendable {
    /// The first message from this address: its key is now pinned, but not yet authenticated.
    case firstContact(address: Address, fingerprint: ContentIdentifier)
    /// Signed with the pinned key, which the user has not verified.
    case known(address: Address, fingerprint: ContentIdentifier, firstSeen: UInt64, messageCount: UInt64)
    /// Signed with the pinned key, which the user verified.
    case verified(address: Address, fingerprint: ContentIdentifier)
    /// Signed with another key than the pinned one, without a valid rotation. The pin is not
    /// replaced. `latched` when the contact was verified: the alarm then stays on every message
    /// until the user acts. `pinnedRevoked` when the pinned key had been revoked by its holder.
    case keyChanged(
        address: Address, pinned: ContentIdentifier, presented: ContentIdentifier, latched: Bool, pinnedRevoked: Bool
    )
    /// A rotation signed by the old and the new key moved the pin; this message comes with it.
    case rotated(address: Address, from: ContentIdentifier, to: ContentIdentifier)
    /// Signed with a key its holder revoked.
    case revoked(address: Address, fingerprint: ContentIdentifier, reason: String)
    /// Signed with a key that a rotation replaced, whatever date the message claims.
    case supersededKey(address: Address, presented: ContentIdentifier, current: ContentIdentifier)
    /// The contact's keys signed conflicting rotations; the pin is frozen until the user acts.
    case conflictingStatements(address: Address, pinned: ContentIdentifier)
    /// An unsigned message (from a gateway or an import) claims an address whose sender signs.
    case downgrade(address: Address, pinned: ContentIdentifier)
    /// An unsigned message claims an address the store knows nothing about.
    case unsigned(address: Address)
    /// The user blocked this address.
    case blocked(address: Address)
    /// A new or unverified address that looks like a known contact's, with another key.
    case lookAlike(address: Address, fingerprint: ContentIdentifier, resembles: Address)
    /// A new address whose key is already pinned for other addresses not on the same card.
    case sharedKey(address: Address, fingerprint: ContentIdentifier, alsoUsedBy: [Address])
    /// The sender is as expected, but a statement carried by the message was refused.
    case statementProblem(address: Address, fingerprint: ContentIdentifier, problem: StatementProblem)

    /// The verdict's name in the specification (`first-contact`, `key-changed`, …).
    public var name: String {
        switch self {
        case .firstContact: "first-contact"
        case .known: "known"
        case .verified: "verified"
        case .keyChanged: "key-changed"
        case .rotated: "rotated"
        case .revoked: "revoked"
        case .supersededKey: "superseded-key"
        case .conflictingStatements: "conflicting-statements"
        case .downgrade: "downgrade"
        case .unsigned: "unsigned"
        case .blocked: "blocked"
        case .lookAlike: "look-alike"
        case .sharedKey: "shared-key"
        case .statementProblem: "statement-problem"
        }
    }

    /// The address the verdict is about.
    public var address: Address {
        switch self {
        case .firstContact(let address, _), .known(let address, _, _, _), .verified(let address, _),
            .keyChanged(let address, _, _, _, _), .rotated(let address, _, _), .revoked(let address, _, _),
            .supersededKey(let address, _, _), .conflictingStatements(let address, _), .downgrade(let address, _),
            .unsigned(let address), .blocked(let address), .lookAlike(let address, _, _), .sharedKey(let address, _, _),
            .statementProblem(let address, _, _):
            address
        }
    }

    /// How loudly to show the verdict (Spec: [trust-severity]).
    public var severity: TrustSeverity {
        switch self {
        case .firstContact, .known, .verified: .info
        case .rotated, .unsigned, .blocked, .sharedKey: .notice
        case .keyChanged, .revoked, .supersededKey, .conflictingStatements, .downgrade, .lookAlike: .alarm
        case .statementProblem(_, _, let problem): problem.severity
        }
    }

    /// A plain-language account of what happened. It says what is known and what is not, and
    /// does not accuse anyone: most key changes have innocent causes.
    public var explanation: String {
        switch self {
        case .firstContact(let address, let fingerprint):
            return "This is the first message from \(address). It is signed, but the key it is signed with "
                + "(\(fingerprint.text(kind: .identityKey))) is not yet authenticated: anyone can make a key and "
                + "claim an address. The key has been remembered, so any later change will be pointed out."
        case .known(let address, _, let firstSeen, let count):
            return "Signed with the same key as the \(count == 1 ? "first message" : "\(count) messages") from "
                + "\(address) since \(TrustText.date(firstSeen)). The key is not yet authenticated."
        case .verified(let address, _):
            return "Signed with the key of \(address) that you verified."
        case .keyChanged(let address, let pinned, let presented, let latched, let pinnedRevoked):
            var text =
                "This message from \(address) is signed with a different key "
                + "(\(presented.text(kind: .identityKey))) than the one you have for them "
                + "(\(pinned.text(kind: .identityKey))), and no statement signed by the old key vouches for the new one. "
            if pinnedRevoked {
                text +=
                    "Their old key was revoked by its holder, so a new key is expected, but nothing links this one "
                    + "to them yet. "
            } else {
                text +=
                    "This happens when someone sets up a new device or reinstalls without keeping their key; it "
                    + "also happens when someone else writes in their name. "
            }
            text +=
                "The key you had is kept until you decide. Until you have checked, do not act on requests in "
                + "this message (payments, passwords, links)."
            if latched {
                text +=
                    " Because you had verified \(address), this warning stays on every message from them until "
                    + "you accept the change, verify again, or withdraw the verification."
            }
            return text
        case .rotated(let address, let from, let to):
            return "\(address) replaced their key \(from.text(kind: .identityKey)) with "
                + "\(to.text(kind: .identityKey)), with a statement signed by both keys. Nothing to do; "
                + "if you had verified them, verify the new key when convenient."
        case .revoked(let address, let fingerprint, let reason):
            return "This message from \(address) is signed with a key (\(fingerprint.text(kind: .identityKey))) "
                + "that its holder revoked"
                + (reason.isEmpty ? "" : " (\"\(reason)\")")
                + ". A revoked key may be in someone else's hands: do not rely on who sent this message."
        case .supersededKey(let address, let presented, let current):
            return "This message from \(address) is signed with a key (\(presented.text(kind: .identityKey))) "
                + "that they replaced with \(current.text(kind: .identityKey)). It may be an old message delivered "
                + "late, or someone who still has the old key. Its date is not evidence either way."
        case .conflictingStatements(let address, _):
            return "The keys of \(address) signed two different key changes with the same number. Only a key's "
                + "holder can do that, so a key may be in more than one person's hands. Key changes for "
                + "\(address) are frozen until you decide."
        case .downgrade(let address, _):
            return "This message claims to come from \(address) but is not signed, although every earlier message "
                + "from \(address) was. It came through a gateway or an import, or from someone using their "
                + "address. Treat its sender as unknown."
        case .unsigned(let address):
            return "This message is not signed, so nothing shows that it comes from \(address)."
        case .blocked(let address):
            return "You blocked \(address)."
        case .lookAlike(let address, _, let resembles):
            return "\(address) looks like \(resembles), a contact you already have, but it is a different address "
                + "with a different key. Look-alike addresses are a common trick; check that this is who you think "
                + "before you rely on it."
        case .sharedKey(let address, let fingerprint, let others):
            return "\(address) is signed with the key \(fingerprint.text(kind: .identityKey)), which "
                + "\(others.map(\.text).joined(separator: ", ")) also use. Whoever holds that key writes from "
                + "both addresses; usually this is one person with two addresses."
        case .statementProblem(let address, _, let problem):
            return "Signed with the key you have for \(address). " + problem.explanation
        }
    }

    /// How to check the sender after the fact: what to compare, with whom, through which channel.
    public var howToVerify: String {
        let address = self.address
        let channel =
            "through a channel you already trust: in person, or a phone call to a number you already had "
            + "(not one given in this message)"
        switch self {
        case .verified:
            return "Already verified. Nothing to do."
        case .blocked:
            return "Unblock \(address) if this was a mistake."
        case .unsigned, .downgrade:
            return "Ask \(address) \(channel) whether they sent it, and ask them to send it again from their "
                + "Dialogue client."
        case .keyChanged:
            return "Contact \(address) \(channel). Compare the safety number shown for them with the one their device "
                + "shows. If it matches the new key, accept the change; if it matches the key you had, keep it and "
                + "verify it again."
        case .conflictingStatements:
            return "Contact \(address) \(channel) and compare safety numbers. If their device shows the number of the "
                + "key you have, verify it; if it shows the other key, accept the change. Until then, treat their "
                + "messages with care."
        case .supersededKey:
            return "Their current key is already the one you have; nothing needs accepting. If this message matters, "
                + "ask \(address) \(channel) whether they sent it."
        case .revoked:
            return "Ask \(address) \(channel) for their new key. When a message signed with it arrives, compare safety "
                + "numbers before you accept it."
        case .lookAlike(_, _, let resembles):
            return "Ask the person you know as \(resembles), \(channel), whether \(address) is also theirs. If it is, "
                + "compare safety numbers with them and mark \(address) verified."
        default:
            return "When convenient, compare the safety number shown for \(address) with the one their device shows, "
                + "in person or on a call you place yourself (a video call is fine; not by email or in this "
                + "conversation). If the numbers match, mark the contact verified; nothing else needs doing until then."
        }
    }
}
