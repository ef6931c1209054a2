/// Why the server conformance suite could not run at all (as opposed to a check that failed).
public enum SuiteError: Error, Sendable, CustomStringConvertible {
    /// The credentials are missing or wrong, or the peer server could not start.
    case setup(String)

    /// The reason, for people.
    public var description: String {
        switch self {
        case .setup(let reason): return reason
        }
    }
}
