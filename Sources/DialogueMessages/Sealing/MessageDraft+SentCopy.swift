extension MessageDraft {
    /// Adds the sender's own card as a `cc` recipient, so that the sender can open the message it
    /// sent (a "sent" copy); does nothing if a recipient already has the card's encryption key.
    ///
    /// The sender is never a recipient on its own: a sealed message can be opened only by the
    /// recipients it lists, and the sender's card is in the manifest to identify the sender, not
    /// to seal to. Listed as `cc`, the sender's copy is the same envelope and the same message
    /// identifier as everyone else's (a `bcc` copy would be a separate message with another
    /// identifier, which the replies would not name), and the other recipients see the sender
    /// among the `cc` recipients.
    ///
    /// ```swift
    /// var draft = MessageDraft(recipients: [.init(card: bob.card)], subject: "Report")
    /// draft.includeSentCopy(for: alice.card)
    /// let sealed = try await MessageSealer(sender: alice, store: store).seal(draft)
    /// let mine = try EnvelopeOpener.open(sealed.envelopeBytes, as: alice)  // alice reads her own message
    /// ```
    ///
    /// - Parameter senderCard: The sender's card; the copy is addressed to ``senderAddress``,
    ///   or to the card's first address when that is `nil`.
    public mutating func includeSentCopy(for senderCard: IdentityCard) {
        guard !recipients.contains(where: { $0.encryptionKey == senderCard.encryptionKey }) else { return }
        let address = senderAddress.flatMap { senderCard.lists($0) ? $0 : nil } ?? senderCard.addresses[0]
        recipients.append(Addressee(card: senderCard, address: address, role: .cc))
    }
}
