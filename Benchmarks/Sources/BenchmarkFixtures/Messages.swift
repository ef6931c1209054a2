public import DialogueMessages

/// The fixture messages of the message benchmarks.
public enum Messages {
    /// A 1 KiB text body (ASCII, deterministic).
    public static let body1KiB: String = {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789.,\n".utf8)
        let bytes = SeededBytes.make(count: 1024, seed: 7).map { alphabet[Int($0) % alphabet.count] }
        return String(decoding: bytes, as: UTF8.self)
    }()

    /// A 1 KiB text message from ``Identities/sender`` to `recipients`.
    public static func draft1KiB(to recipients: [SecretIdentity]) -> MessageDraft {
        MessageDraft(
            recipients: recipients.map { .init(card: $0.card) }, date: Identities.messageDate,
            subject: "Benchmark", parts: [.text(body1KiB)]
        )
    }
}
