#if canImport(Glibc)
    internal import Glibc
#endif

/// Writes to standard error with `write(2)`: the C library's `stderr` is a global Swift 6 will
/// not touch from nonisolated code.
public enum StandardError {
    /// Writes `text` and a line feed.
    public static func print(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }
}
