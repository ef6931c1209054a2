/// A failure of a `dialogued` command: `error: <code>: <reason>` on stderr, a sysexits status.
struct DaemonError: Error {
    /// The code printed after `error:`.
    let code: String
    /// What went wrong, for people.
    let reason: String
    /// The exit status (sysexits).
    let status: Int32

    /// 64: the command line is wrong.
    static func usage(_ reason: String) -> DaemonError { DaemonError(code: "usage", reason: reason, status: 64) }
    /// 65: an input file's content is wrong.
    static func data(_ reason: String) -> DaemonError { DaemonError(code: "data", reason: reason, status: 65) }
    /// 66: an input is missing.
    static func missing(_ reason: String) -> DaemonError {
        DaemonError(code: "missing-input", reason: reason, status: 66)
    }
    /// 73: an output cannot be created (or exists already).
    static func cannotCreate(_ reason: String) -> DaemonError {
        DaemonError(code: "cannot-create", reason: reason, status: 73)
    }
    /// 74: reading or writing failed.
    static func io(_ reason: String) -> DaemonError { DaemonError(code: "io", reason: reason, status: 74) }
}
