#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Why a blob store or a local file could not be used: the store is not where it should be, a
/// blob or a file is missing, or the system refused a read or a write.
///
/// These are not protocol errors (those are ``MessageError``s, whose codes are the
/// specification's classes): they say that the bytes could not be had at all. Equality
/// compares the code only.
///
/// ```swift
/// do {
///     _ = try DirectoryBlobStore(root: "notes.txt")
/// } catch let error as StorageError where error.code == .notADirectory {
///     print(error)  // not-a-directory: notes.txt exists and is not a directory
/// }
/// ```
public struct StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `not-found`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// A blob the store does not hold (an envelope that was asked for), or a file that does
        /// not exist (a part's content given as a path).
        public static let notFound = Code("not-found")
        /// The path of a directory store exists and is not a directory.
        public static let notADirectory = Code("not-a-directory")
        /// A file that must be created exists already; it is never replaced.
        public static let alreadyExists = Code("already-exists")
        /// The system refused to open, read, write or sync a file; the reason names it and says why.
        public static let ioError = Code("io-error")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation that names the path or the blob.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// An `io-error`: how the stores' read and write paths report a system call that failed.
    init(description: String) { self.init(.ioError, description) }

    /// An error for a system call on `path` that failed with `errno` `number`: `not-found` for
    /// `ENOENT`, `already-exists` for `EEXIST`, `io-error` otherwise.
    static func system(_ number: Int32, _ action: String, _ path: String) -> StorageError {
        let code: Code =
            switch number {
            case ENOENT: .notFound
            case EEXIST: .alreadyExists
            default: .ioError
            }
        return StorageError(code, "cannot \(action) \(path): \(String(cString: strerror(number)))")
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: StorageError, rhs: StorageError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
