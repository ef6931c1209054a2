/// The operations of Spec/conformance.md#conf-operations.
public enum ConformanceOperation {
    /// Every operation, in the order of the specification.
    public static let all = [
        "cbor.decode", "id.hash", "id.parse", "address.parse", "card.verify", "card.issue", "secret.decode",
        "message.open", "chunk.open", "message.seal", "safety.number", "safety.parse", "statement.verify",
        "trust.replay",
        "server-document.verify", "submission.verify", "notification.verify", "ack.verify",
        "request.verify", "request.sign",
        "list-descriptor.verify", "list-event.verify", "list-keys.verify", "list-post.verify", "list-entry.verify",
    ]
}

/// The error classes of Spec/conformance.md#conf-errors.
public enum ErrorClass {
    /// Every class.
    public static let all: Set<String> = [
        "malformed", "truncated", "limits-exceeded", "unsupported-version", "bad-signature", "authentication-failed",
        "not-a-recipient", "address-mismatch", "weak-key",
        "unknown-key", "expired", "replayed",
    ]
}

/// What an implementation says about itself in the hello exchange (Spec: conformance.md#conf-adapter).
public struct AdapterHello: Sendable, Hashable {
    /// The implementation's name.
    public var name: String
    /// Its version.
    public var version: String
    /// The operations it implements.
    public var operations: Set<String>
    /// Optional abilities: `error-detail`, `cross-check`.
    public var features: Set<String>

    /// Creates a hello.
    public init(name: String, version: String, operations: Set<String>, features: Set<String>) {
        self.name = name
        self.version = version
        self.operations = operations
        self.features = features
    }
}

/// The answer of an implementation to one request.
public enum Outcome: Sendable, Hashable, CustomStringConvertible {
    /// Success, with the operation's outputs.
    case ok(JSONValue)
    /// Failure with an error class (already mapped through any error map), a finer code and a message.
    case error(String, detail: String?, message: String?)
    /// The implementation does not implement this operation or this case.
    case unsupported(String?)
    /// The adapter crashed, hung past the timeout, or wrote something that is not a response.
    case broken(String)

    /// A short form for reports: `valid`, `invalid (class, detail)`, `unsupported` or `adapter failure (reason)`.
    public var description: String {
        switch self {
        case .ok: return "valid"
        case .error(let errorClass, let detail, _):
            return detail.map { "invalid (\(errorClass), \($0))" } ?? "invalid (\(errorClass))"
        case .unsupported: return "unsupported"
        case .broken(let reason): return "adapter failure (\(reason))"
        }
    }
}

/// An implementation under test: the Swift library in process, or any program through the adapter protocol.
public protocol ConformanceTarget: AnyObject {
    /// Starts the implementation if needed and returns its hello.
    func start() async throws -> AdapterHello
    /// Runs one operation.
    func perform(_ operation: String, input: JSONValue) async -> Outcome
    /// Stops the implementation.
    func stop() async
}

/// Lower-case hexadecimal, as vectors and the adapter protocol write byte strings
/// (Spec: conformance.md#conf-vectors).
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The lower-case hexadecimal of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        return String(unsafeUninitializedCapacity: input.count * 2) { output in
            input.withUnsafeBufferPointer { input in
                digits.withUnsafeBufferPointer { digits in
                    var offset = 0
                    for byte in input {
                        output[offset] = digits[Int(byte >> 4)]
                        output[offset + 1] = digits[Int(byte & 0x0f)]
                        offset += 2
                    }
                }
            }
            return input.count * 2
        }
    }

    /// Decodes lower- or upper-case hexadecimal; `nil` for anything else or an odd length.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            guard utf8.count % 2 == 0 else { return nil }
            var failed = false
            let output = [UInt8](unsafeUninitializedCapacity: utf8.count / 2) { buffer, count in
                var index = 0
                while index < utf8.count {
                    guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else {
                        failed = true
                        break
                    }
                    buffer[index / 2] = high << 4 | low
                    index += 2
                }
                count = failed ? 0 : utf8.count / 2
            }
            return failed ? nil : output
        }
    }

    @inline(__always)
    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: return character - 0x30
        case 0x61...0x66: return character - 0x61 + 10
        case 0x41...0x46: return character - 0x41 + 10
        default: return nil
        }
    }
}
