public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueServerStorage

/// Finds the key of a user request on a list's routes (Spec: [list-member-request]): this server's
/// user's current key, else the key of the address's latest event in the list (a former member's too,
/// so that its request is a `403`, not an unknown key), else the key 3 of a post it sends or whose
/// blobs it uploads ([list-ep-post]).
public struct ListKeyResolver: RequestKeyResolver {
    private let store: any MailStore
    private let list: String
    private let author: (address: Address, key: Ed25519.VerifyingKey)?

    /// A resolver for the routes of `list`; `author` is the post of the request, when it carries one.
    public init(store: any MailStore, list: String, author: (address: Address, key: Ed25519.VerifyingKey)?) {
        self.store = store
        self.list = list
        self.author = author
    }

    /// The key the server attributes to `address` on this list.
    public func identityKey(of address: Address) async -> Ed25519.VerifyingKey? {
        if let account = try? await store.account(address.text) {
            return try? Ed25519.VerifyingKey(rawRepresentation: account.identityKey)
        }
        if let member = try? await store.listMember(list: list, address: address.text) {
            return try? Ed25519.VerifyingKey(rawRepresentation: member.identityKey)
        }
        if let author, author.address == address { return author.key }
        let pending = (try? await store.listPosts(list: list, state: .pending)) ?? []
        guard let post = pending.last(where: { $0.author == address.text }) else { return nil }
        return try? Ed25519.VerifyingKey(rawRepresentation: post.authorKey)
    }

    /// No server signs a list's requests.
    public func serverKey(of domain: String, fingerprint: ContentIdentifier) async -> ServerKeyValidity? { nil }
}
