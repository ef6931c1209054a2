/// The outcome of one check of the server conformance suite.
public struct ServerCheckResult: Sendable {
    /// Passed, failed, or not run because a check it needs failed.
    public enum Status: String, Sendable {
        /// The server did what the spec says.
        case passed
        /// It did not.
        case failed
        /// The check could not run: an earlier check it builds on failed.
        case skipped
    }

    /// The spec anchor the check holds the server to, such as `dlv-upload-verify`.
    public let anchor: String
    /// What is checked, in a few words.
    public let name: String
    /// The outcome.
    public let status: Status
    /// Why it failed or was skipped; empty when it passed.
    public let detail: String

    /// The line printed for a failure: `FAIL [anchor] name: detail`.
    public var line: String {
        switch status {
        case .passed: return "PASS [\(anchor)] \(name)"
        case .failed: return "FAIL [\(anchor)] \(name): \(detail)"
        case .skipped: return "SKIP [\(anchor)] \(name): \(detail)"
        }
    }
}

/// Every check's outcome, in the order run.
public struct ServerSuiteReport: Sendable {
    /// The outcomes.
    public let results: [ServerCheckResult]

    /// How many passed.
    public var passed: Int { results.count { $0.status == .passed } }
    /// How many failed.
    public var failed: Int { results.count { $0.status == .failed } }
    /// How many were skipped.
    public var skipped: Int { results.count { $0.status == .skipped } }

    /// `N passed, N failed, N skipped`, as the vector runner ends (Spec: [conf-runner]).
    public var closingLine: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
