internal import DialogueCBOR
internal import DialogueMessages

/// A list server's answer to `GET /lists/{list}`: the current descriptor and the latest
/// membership event (Spec: lists.md#list-ep-info).
///
/// ```
/// list-info = { 0: bstr (descriptor), ? 1: bstr (latest event) }
/// ```
///
/// The answer is not signed: each object carries its own signature, and the reader checks them
/// with ``ListDescriptor`` and ``ListEvent``. This type checks the answer's shape only.
public struct ListInfo: Hashable, Sendable {
    /// The largest answer, in bytes: a descriptor, an event and the map around them.
    public static let maximumSize = 4096

    /// The current descriptor's exact bytes.
    public let descriptor: [UInt8]
    /// The latest membership event's exact bytes; `nil` before the list's first event.
    public let latestEvent: [UInt8]?
    /// The answer exactly as received or built.
    public let encodedBytes: [UInt8]

    /// Builds the answer for a list.
    public init(descriptor: ListDescriptor, latestEvent: ListEvent?) throws(DeliveryError) {
        var entries: [CBORValue.MapEntry] = [.init(key: 0, value: .bytes(descriptor.encodedBytes))]
        if let latestEvent { entries.append(.init(key: 1, value: .bytes(latestEvent.encodedBytes))) }
        self = try ListInfo(decoding: DeliveryWire.encode(entries))
    }

    /// Decodes an answer: at most ``maximumSize`` bytes (checked before decoding), valid Dialogue
    /// CBOR, the key 0 and optionally 1, both byte strings (Spec: [list-ep-info]).
    public init(decoding bytes: some Collection<UInt8>) throws(DeliveryError) {
        let encoded = Array(bytes)
        let what = "list information"
        try DeliveryWire.checkSize(encoded, maximum: ListInfo.maximumSize, what)
        let node = try DeliveryWire.lift { () throws(MessageError) in try Schema.decode(encoded[...], what) }
        (descriptor, latestEvent) = try DeliveryWire.fields(node, what) { (map) throws(DeliveryError) in
            let descriptor = try map.bytes(0, "descriptor")
            guard let event = map.map.optional(1) else { return (descriptor, nil) }
            let eventBytes = try DeliveryWire.lift { () throws(MessageError) in
                try Schema.bytes(event, "list information latest event")
            }
            return (descriptor, Array(eventBytes))
        }
        encodedBytes = encoded
    }
}
