/// A member of a list, current or former: the state of [list-members-state], the address's latest
/// event deciding.
public struct ListMemberRecord: Hashable, Sendable {
    /// The member's canonical address.
    public var address: String
    /// The Ed25519 identity key of its latest event.
    public var identityKey: [UInt8]
    /// The position of the index entry of its latest `joined` event.
    public var joined: UInt64
    /// Whether its latest event is `joined`: a current member. A former member's requests are `403`.
    public var current: Bool

    /// A member record.
    public init(address: String, identityKey: [UInt8], joined: UInt64, current: Bool) {
        self.address = address
        self.identityKey = identityKey
        self.joined = joined
        self.current = current
    }
}
