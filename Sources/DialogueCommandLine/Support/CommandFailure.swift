import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// Exit statuses from sysexits(3), so scripts can tell bad data from a missing file.
enum ExitStatus {
    /// The input data was incorrect: `EX_DATAERR`.
    static let dataError: Int32 = 65
    /// An input file did not exist or was not readable: `EX_NOINPUT`.
    static let noInput: Int32 = 66
    /// A file could not be created or written: `EX_CANTCREAT`.
    static let cannotCreate: Int32 = 73
}

/// Prints `error: code: reason` on standard error and exits with `status`.
func fail(_ code: String, _ reason: String, status: Int32 = ExitStatus.dataError) -> ExitCode {
    writeStandardError("error: \(code): \(reason)\n")
    return ExitCode(status)
}

/// Writes text to standard error.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// Writes bytes to standard output.
func writeStandardOutput(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, bytes.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}
