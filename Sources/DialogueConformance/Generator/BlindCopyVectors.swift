/// The `message.seal` vectors of messages with blind-copy recipients (Spec: messages.md#msg-bcc).
extension ChunkAndSealVectors {
    /// The blind copy of `forge` for one `bcc` recipient: the same parts, the visible recipients
    /// followed by that one with role `bcc`, one stanza for it, and the copy's own `K` and `e`.
    static func blindCopy(of forge: MessageForge, to identity: Identity, address: String? = nil, label: String)
        -> MessageForge
    {
        var copy = forge
        copy.recipients.append(
            MessageForge.Recipient(address: address ?? identity.addresses[0], role: 2, key: identity.encryptionKey))
        copy.sealTo = [identity.encryptionKey]
        copy.messageKey = Seeds.bytes("message/\(label)/K")
        copy.ephemeralSecret = Seeds.bytes("message/\(label)/e")
        return copy
    }

    static func addBlindCopies(to file: FileBuilder) async throws {
        let alice = Cast.alice
        let bob = Cast.bob
        let carol = Cast.carol
        let mallory = Cast.mallory
        let dave = Cast.dave
        let spec = ["msg-bcc-separate", "msg-bcc-randomness"]
        let flags = ["Valid", "CrossCheck", "BlindCopy"]
        file.group("blind copies: the primary envelope and one envelope per bcc recipient, from given randomness")

        let one = MessageForge(from: alice, to: [bob], label: "seal-bcc-one")
        try await validSeal(
            file, "to bob, bcc carol: the primary envelope lists bob; carol's copy lists bob, then carol", one,
            sender: alice, recipients: [(bob, "bob@example.net", "to"), (carol, "carol@example.com", "bcc")],
            order: [0], flags: flags, spec: spec,
            copies: [blindCopy(of: one, to: carol, label: "seal-bcc-one/copy-0")])

        var two = MessageForge(from: alice, to: [carol, bob], label: "seal-bcc-two")
        two.recipients[1].address = "robert@example.net"
        two.recipients[1].role = 1
        two.sealTo = [bob.encryptionKey, carol.encryptionKey]
        try await validSeal(
            file,
            "to carol, bcc mallory, cc bob (second address), bcc dave: each copy lists carol, bob, then its own bcc recipient",
            two, sender: alice,
            recipients: [
                (carol, "carol@example.com", "to"), (mallory, "mallory@example.org", "bcc"),
                (bob, "robert@example.net", "cc"), (dave, "dave@example.com", "bcc"),
            ], order: [1, 0], flags: flags, spec: spec,
            copies: [
                blindCopy(of: two, to: mallory, label: "seal-bcc-two/copy-0"),
                blindCopy(of: two, to: dave, label: "seal-bcc-two/copy-1"),
            ])

        var only = MessageForge(from: alice, to: [], label: "seal-bcc-only")
        only.headers = [("subject", "Only blind copies")]
        try await validSeal(
            file, "only bcc recipients, bob then carol: no primary envelope, the first copy stands for the message",
            only, sender: alice,
            recipients: [(bob, "bob@example.net", "bcc"), (carol, "carol@example.com", "bcc")], order: [],
            flags: flags + ["EdgeCase"], spec: spec + ["msg-bcc-only"],
            copies: [
                blindCopy(of: only, to: bob, label: "seal-bcc-only/copy-0"),
                blindCopy(of: only, to: carol, label: "seal-bcc-only/copy-1"),
            ])

        var open = MessageForge(from: alice, to: [bob], label: "seal-bcc-public")
        open.mode = 1
        try await validSeal(
            file, "a public message to bob, bcc carol: the copy is public too, and lists bob, then carol", open,
            sender: alice, recipients: [(bob, "bob@example.net", "to"), (carol, "carol@example.com", "bcc")],
            order: [0], flags: flags + ["PublicMode"], spec: spec + ["msg-bcc-only"],
            copies: [blindCopy(of: open, to: carol, label: "seal-bcc-public/copy-0")])

        file.group("blind copies that cannot be sealed")
        let base = MessageForge(from: alice, to: [bob], label: "seal-bcc-bad")
        let to: (Identity, String, String, [UInt8]?) = (bob, "bob@example.net", "to", nil)
        let toCarol: (Identity, String, String, [UInt8]?) = (carol, "carol@example.com", "bcc", nil)
        let toDave: (Identity, String, String, [UInt8]?) = (dave, "dave@example.com", "bcc", nil)
        let copy = { (index: Int) in blindCopy(of: base, to: carol, label: "seal-bcc-bad/copy-\(index)") }
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String],
            _ recipients: [(Identity, String, String, [UInt8]?)],
            copies: [MessageForge], _ error: String
        ) async throws {
            let visible = recipients.filter { $0.2 != "bcc" }.count
            try await file.invalid(
                comment, flags: ["BlindCopy"] + flags, spec: spec,
                input: sealInput(
                    base, sender: alice, recipients: recipients, stanzaOrder: Array(0..<visible), blindCopies: copies),
                error: error)
        }
        let randomness = ["BlindCopyRandomness"]
        try await bad(
            "one bcc recipient and no blind_copies randomness", randomness, ["msg-bcc-randomness"], [to, toCarol],
            copies: [], "malformed")
        try await bad(
            "one bcc recipient and randomness for two blind copies", randomness, ["msg-bcc-randomness"], [to, toCarol],
            copies: [copy(0), copy(1)], "malformed")
        try await bad(
            "two bcc recipients and randomness for one blind copy", randomness, ["msg-bcc-randomness"],
            [to, toCarol, toDave], copies: [copy(0)], "malformed")
        try await bad(
            "no bcc recipient and randomness for one blind copy", randomness, ["msg-bcc-randomness"], [to],
            copies: [copy(0)], "malformed")
        var shortKey = copy(0)
        shortKey.messageKey.removeLast()
        try await bad(
            "a blind copy's message key of 31 bytes", randomness, ["msg-bcc-randomness"], [to, toCarol],
            copies: [shortKey], "malformed")
        try await bad(
            "the same bcc recipient twice", ["Consistency"], ["msg-bcc-distinct", "msg-manifest-consistency"],
            [to, toCarol, toCarol], copies: [copy(0), copy(1)], "malformed")
        try await bad(
            "two bcc recipients with the same key: bob at both his addresses", ["Consistency"], ["msg-bcc-distinct"],
            [toCarol, (bob, "bob@example.net", "bcc", nil), (bob, "robert@example.net", "bcc", nil)],
            copies: [copy(0), copy(1), copy(2)], "malformed")
        let otherBob = Identity("bob-other", addresses: ["bob@example.net"])
        try await bad(
            "two bcc recipients with the same address and different keys", ["Consistency"], ["msg-bcc-distinct"],
            [toCarol, (bob, "bob@example.net", "bcc", nil), (otherBob, "bob@example.net", "bcc", otherBob.card)],
            copies: [copy(0), copy(1), copy(2)], "malformed")
        try await bad(
            "the to recipient also as bcc", ["Consistency"], ["msg-bcc-distinct", "msg-manifest-consistency"],
            [to, (bob, "bob@example.net", "bcc", nil)], copies: [copy(0)], "malformed")
        let weak = carol.card(body: carol.cardEntries(encryptionKey: LowOrder.points[0].1).encoded)
        try await bad(
            "the bcc recipient's card has a low-order encryption key", ["LowOrderKey"], ["card-weak-key"],
            [to, (carol, "carol@example.com", "bcc", weak)], copies: [copy(0)], "weak-key")
        try await bad(
            "the bcc recipient's address is not on its card", ["AddressMismatch"], ["msg-open-order"],
            [to, (carol, "carole@example.com", "bcc", nil)], copies: [copy(0)], "address-mismatch")
    }
}
