public import DialogueConformance

#if canImport(Glibc)
    internal import Glibc
#endif

/// The contexts of a target: the rest of its operation's input, one per distinct context of the
/// published vectors, read from `Fuzz/contexts/TARGET.json` (written by Fuzz/make-corpus.py).
///
/// With more than one context, the first byte of a fuzz input picks one (modulo their number)
/// and the rest is the field; with one, the whole input is the field.
public struct FuzzContexts: Sendable {
    /// The target.
    public let target: FuzzTarget
    /// The contexts, each an object without the fuzzed field.
    public let contexts: [JSONValue]

    /// Reads the contexts of `target` from `directory`.
    public init(target: FuzzTarget, directory: String) throws {
        self.target = target
        guard target.operation != nil else {
            contexts = [.object([])]
            return
        }
        let path = directory + "/" + target.name + ".json"
        guard let bytes = FileBytes.read(path) else { throw FuzzSetupError("cannot read \(path)") }
        let file = try JSONValue(parsing: bytes)
        guard let list = file["contexts"]?.arrayValue, !list.isEmpty else {
            throw FuzzSetupError("\(path) has no contexts")
        }
        contexts = list
    }

    /// Whether inputs start with a byte that picks the context.
    public var isPrefixed: Bool { contexts.count > 1 }

    /// The context an input picks and the bytes of its field.
    public func split(_ input: [UInt8]) -> (context: JSONValue, field: ArraySlice<UInt8>)? {
        guard isPrefixed else { return (contexts[0], input[...]) }
        guard let first = input.first else { return nil }
        return (contexts[Int(first) % contexts.count], input.dropFirst())
    }

    /// The operation's whole input for a fuzz input, or `nil` for a request text that has no
    /// first line.
    public func operationInput(_ input: [UInt8]) -> JSONValue? {
        guard let (context, field) = split(input) else { return nil }
        switch target.form {
        case .hex: return context.setting(target.field ?? "", .string(Hex.encode(field)))
        case .text: return context.setting(target.field ?? "", .string(String(decoding: field, as: UTF8.self)))
        case .request:
            guard let request = RequestText(parsing: Array(field)) else { return nil }
            return request.members.reduce(context) { $0.setting($1.0, $1.1) }
        case .raw: return nil
        }
    }
}

extension FuzzContexts {
    /// The contexts of `target` from the directory `DIALOGUE_FUZZ_CONTEXTS` (default `contexts`), as a
    /// fuzzer's `LLVMFuzzerInitialize` reads them: a fuzzer without them cannot start, so it says why
    /// and exits with status 2.
    public static func loadOrExit(_ target: FuzzTarget) -> FuzzContexts {
        let directory = getenv("DIALOGUE_FUZZ_CONTEXTS").map { String(cString: $0) } ?? "contexts"
        do {
            return try FuzzContexts(target: target, directory: directory)
        } catch {
            StandardError.print("\(error) (run Fuzz/make-corpus.py)")
            exit(2)
        }
    }
}

/// A fuzz target that cannot start: a missing or unreadable context file.
public struct FuzzSetupError: Error, CustomStringConvertible {
    /// What is missing.
    public let description: String

    init(_ description: String) { self.description = description }
}
