/// A hash algorithm that identifiers can carry in-band (Spec: identifiers.md#id-binary).
public struct HashAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The one-byte code that starts the binary form.
    public let code: UInt8

    /// The number of digest bytes that follow the code.
    public let digestByteCount: Int

    /// The algorithm's name, for messages.
    public let name: String

    /// BLAKE2b-256 over `context || 0x00 || content` (code `0x01`); the only algorithm of version 1.
    public static let blake2b256 = HashAlgorithm(code: 0x01, digestByteCount: 32, name: "BLAKE2b-256")

    /// Every assigned algorithm.
    public static let assigned: [HashAlgorithm] = [.blake2b256]

    private init(code: UInt8, digestByteCount: Int, name: String) {
        self.code = code
        self.digestByteCount = digestByteCount
        self.name = name
    }

    /// The assigned algorithm with this code, or `nil`.
    public init?(code: UInt8) {
        guard let algorithm = HashAlgorithm.assigned.first(where: { $0.code == code }) else { return nil }
        self = algorithm
    }

    /// The algorithm's name.
    public var description: String { name }
}
