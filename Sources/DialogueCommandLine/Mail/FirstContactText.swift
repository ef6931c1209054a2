import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// What the mail commands say about a sender met for the first time (Spec: trust.md#trust-explanation):
/// plainly that the key is not yet verified, and the exact commands that verify it.
enum FirstContactText {
    /// The short label of a verdict in a listing (`inbox`, `sync`).
    static func label(_ verdict: String?) -> String {
        switch verdict {
        case nil: "not opened"
        case "first-contact": "first message, not yet verified"
        case "known": "known key, not yet verified"
        case let name?: name
        }
    }

    /// For a first contact, the plain line and how to verify with this account's trust store; nothing otherwise.
    static func print(_ verdict: TrustVerdict, home: String) {
        guard case .firstContact(let address, let fingerprint) = verdict else { return }
        let contact = TerminalText.line(address.text)
        let store = "--trust-store \(home)/trust.sqlite"
        Swift.print("first       first message from \(contact), not yet verified")
        Swift.print(
            "            compare the safety number of 'dialogue trust safety-number \(contact) --as \(home)/identity "
                + "\(store)' with the one their device shows, in person or on a call you place yourself;")
        Swift.print(
            "            if they match: dialogue trust verify \(contact) \(fingerprint.text(kind: .identityKey)) \(store)"
        )
    }
}
