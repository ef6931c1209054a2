internal import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages

/// Checks a list's index entries one by one, in order, as a member's user agent must
/// ([list-entry-verify], [list-index-contiguous]): each entry against the list domain's server keys
/// and the last position held, then its object with its own verify list, against the latest
/// descriptor and the previous event.
///
/// The first entry that fails stops the reading: ``check(_:now:)`` throws and nothing after it is
/// taken, so a gap or a tampered entry is reported, never skipped.
public struct ListIndexVerifier: Sendable {
    /// The list polled.
    public let list: Address
    /// The fingerprint of the list key pinned from the list's card.
    public let pinnedListKey: ContentIdentifier
    /// The keys of the list domain's server document.
    public let serverKeys: [ServerKey]
    var page: ListFollowPage

    /// A verifier of `list` from its beginning.
    public init(list: Address, pinnedListKey: ContentIdentifier, serverKeys: [ServerKey]) {
        self.init(
            list: list, pinnedListKey: pinnedListKey, serverKeys: serverKeys,
            page: ListFollowPage(
                list: list, state: ListFollowState(cursor: nil, position: 0, descriptor: nil, previous: nil)))
    }

    init(list: Address, pinnedListKey: ContentIdentifier, serverKeys: [ServerKey], page: ListFollowPage) {
        self.list = list
        self.pinnedListKey = pinnedListKey
        self.serverKeys = serverKeys
        self.page = page
    }

    /// The position of the last entry that verified (0 before the first).
    public var position: UInt64 { page.state.position }

    /// The posts that verified, with their positions.
    public var posts: [(position: UInt64, post: ListPost)] { page.posts.map { ($0.0, $0.1) } }

    /// Checks the next entry, given as the index listing gives it (unpadded base64url).
    ///
    /// - Throws: ``ClientError`` with the class of the first failed check: `malformed` for a gap, a
    ///   reordering or a first entry that is not the descriptor; `bad-signature`, `unknown-key`,
    ///   `address-mismatch`, `expired`, … from the entry's or its object's verify list.
    public mutating func check(_ text: String, now: UInt64) throws(ClientError) {
        let position = page.state.position + 1
        guard let bytes = UnpaddedBase64URL.decode(text) else {
            throw ClientError(.malformed, "entry \(position) of \(list) is not base64url")
        }
        do {
            let entry = try ListEntry(
                verifying: bytes, list: list, serverKeys: serverKeys, after: page.state.position, now: now)
            if entry.position == 1, entry.kind != .descriptor {
                throw ClientError(
                    .malformed, "the first entry of \(list) is not its descriptor ([list-index-contiguous])")
            }
            switch entry.kind {
            case .descriptor:
                let descriptor = try ListIndexVerifier.descriptor(
                    entry.object, list: list, pinned: pinnedListKey, now: now)
                page.state.descriptor = descriptor.encodedBytes
            case .event:
                guard let descriptorBytes = page.state.descriptor else {
                    throw ClientError(.malformed, "entry \(position) of \(list) comes before its descriptor")
                }
                let descriptor = try ListIndexVerifier.descriptor(
                    descriptorBytes, list: list, pinned: pinnedListKey, now: now)
                let event = try ListEvent(
                    verifying: entry.object, list: list, listKey: descriptor.listKey, mode: descriptor.mode,
                    history: descriptor.history, previous: page.state.previous, now: now)
                if let key = event.epochKey, event.epoch != page.state.previous?.epoch {
                    page.epochStarts.append((event.epoch, key.rawRepresentation))
                }
                page.state.previous = event.asPrevious
            case .post:
                guard page.state.descriptor != nil, let previous = page.state.previous else {
                    throw ClientError(.malformed, "entry \(position) of \(list) is a post before any membership event")
                }
                let post = try ListPost(verifying: entry.object, list: list, epoch: previous.epoch, now: now)
                page.posts.append((entry.position, post))
            }
            page.entries.append(entry)
            page.state.position = entry.position
        } catch let error as ClientError {
            throw error
        } catch let error as DeliveryError {
            throw ClientError(
                .init(error.code.name), "entry \(position) of \(list): \(error.reason); reading stops here")
        } catch {
            throw ClientError(.malformed, "entry \(position) of \(list): \(error)")
        }
    }

    /// A descriptor checked with [list-descriptor-verify] against the pinned list key.
    static func descriptor(_ bytes: [UInt8], list: Address, pinned: ContentIdentifier, now: UInt64)
        throws(ClientError) -> ListDescriptor
    {
        do {
            return try ListDescriptor(verifying: bytes, list: list, listKeyFingerprint: pinned, now: now)
        } catch {
            throw ClientError(.init(error.code.name), "the descriptor of \(list): \(error.reason)")
        }
    }
}
