import ArgumentParser
import DialogueClient

/// `--auto-ack POLICY`, on `account add|import` (the account's setting) and `read` (this run).
enum AutoAckArgument {
    static let help = ArgumentHelp(
        "When to acknowledge a message once this device holds all of it: keep, no-keep or off.",
        discussion: """
            keep (the default): the home server keeps a copy first (delivery.md#dlv-keep-before-ack), then \
            the acknowledgement lets the sender's server delete the message; your other devices still read \
            the kept copy. no-keep: acknowledge without keeping (a single device). off: only 'dialogue ack' \
            acknowledges. The default frees the sender's server as soon as nothing can be lost, instead of \
            holding the message until it expires.
            """,
        valueName: "policy")

    static func parse(_ text: String) throws -> AutoAcknowledgement {
        guard let policy = AutoAcknowledgement(rawValue: text) else {
            throw ValidationError("--auto-ack is keep, no-keep or off, not '\(text)'")
        }
        return policy
    }
}
