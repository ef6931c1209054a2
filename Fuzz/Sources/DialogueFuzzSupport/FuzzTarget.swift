/// One parser an attacker can reach, as the fuzzer and the differential harness see it.
///
/// A target built on a conformance operation (Spec/conformance.md#conf-operations) takes its
/// input as the operation's fuzzed field (``field``) plus the rest of the operation's input,
/// a *context* taken from the published vectors (``FuzzContexts``). The other targets call a
/// library parser on the bytes directly.
public struct FuzzTarget: Sendable, Hashable {
    /// How the fuzzed bytes become the operation's field.
    public enum Form: String, Sendable {
        /// A byte string, written in hexadecimal.
        case hex
        /// A text, the bytes read as UTF-8.
        case text
        /// A whole request in ``RequestText``'s form.
        case request
        /// No operation: the bytes go to a library parser.
        case raw
    }

    /// The name on the command line (`Fuzz/run-fuzzer.sh NAME SECONDS`).
    public let name: String
    /// The conformance operation, or `nil` for a library parser without one.
    public let operation: String?
    /// The operation's input member the fuzzed bytes fill.
    public let field: String?
    /// How the bytes fill it.
    public let form: Form
    /// Whether the input is a signed CBOR object the structure-aware mutator re-signs.
    public let isSigned: Bool
    /// Whether an accepted input is Dialogue CBOR, which must then be canonical ([enc-canonical]).
    public let isCBOR: Bool

    init(
        _ name: String, _ operation: String?, _ field: String?, _ form: Form, signed: Bool = false,
        cbor: Bool = false
    ) {
        self.name = name
        self.operation = operation
        self.field = field
        self.form = form
        self.isSigned = signed
        self.isCBOR = cbor
    }

    /// Every target, in the order of Fuzz/README.md. Keep in step with Fuzz/make-corpus.py.
    public static let all: [FuzzTarget] = [
        FuzzTarget("cbor", "cbor.decode", "data", .hex, cbor: true),
        FuzzTarget("id-parse", "id.parse", "text", .text),
        FuzzTarget("address", "address.parse", "text", .text),
        FuzzTarget("card", "card.verify", "card", .hex, signed: true, cbor: true),
        FuzzTarget("secret", "secret.decode", "file", .hex, signed: true, cbor: true),
        FuzzTarget("envelope", "message.open", "envelope", .hex, signed: true, cbor: true),
        FuzzTarget("chunk", "chunk.open", "blob", .hex),
        FuzzTarget("safety-parse", "safety.parse", "payload", .text),
        FuzzTarget("statement", "statement.verify", "statement", .hex, signed: true, cbor: true),
        FuzzTarget("server-document", "server-document.verify", "document", .hex, signed: true, cbor: true),
        FuzzTarget("submission", "submission.verify", "submission", .hex, signed: true, cbor: true),
        FuzzTarget("notification", "notification.verify", "notification", .hex, signed: true, cbor: true),
        FuzzTarget("ack", "ack.verify", "ack", .hex, signed: true, cbor: true),
        FuzzTarget("request", "request.verify", nil, .request),
        FuzzTarget("list-descriptor", "list-descriptor.verify", "descriptor", .hex, signed: true, cbor: true),
        FuzzTarget("list-event", "list-event.verify", "event", .hex, signed: true, cbor: true),
        FuzzTarget("list-keys", "list-keys.verify", "keys", .hex, signed: true, cbor: true),
        FuzzTarget("list-post", "list-post.verify", "post", .hex, signed: true, cbor: true),
        FuzzTarget("list-entry", "list-entry.verify", "entry", .hex, signed: true, cbor: true),
        FuzzTarget("structured-field", nil, nil, .raw),
        FuzzTarget("content-digest", nil, nil, .raw),
        FuzzTarget("card-response", nil, nil, .raw, signed: true, cbor: true),
        FuzzTarget("peers-file", nil, nil, .raw),
    ]

    /// The target called `name`, or `nil`.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
