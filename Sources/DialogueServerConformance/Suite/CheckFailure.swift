/// A check's expectation that did not hold, with what was expected and what came.
struct CheckFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A check that cannot run because something it builds on is missing.
struct CheckSkipped: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Throws a ``CheckFailure`` with `reason` unless `condition` holds.
func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(CheckFailure) {
    if !condition { throw CheckFailure(reason()) }
}

/// Unwraps what an earlier check produced, or skips the check that needs it.
func needs<T>(_ value: T?, _ what: String) throws(CheckSkipped) -> T {
    guard let value else { throw CheckSkipped("needs \(what), which an earlier check did not produce") }
    return value
}

extension SuiteAnswer {
    /// Requires this status and, for an error, this problem type ([dlv-errors]).
    func expect(_ status: Int, problem: String? = nil) throws(CheckFailure) {
        let expected = problem.map { "\(status) \($0)" } ?? "\(status)"
        guard self.status == status, problem == nil || self.problem == problem else {
            throw CheckFailure("expected \(expected), got \(summary)")
        }
    }

    /// Requires one of these success statuses.
    func expect(oneOf statuses: Set<Int>) throws(CheckFailure) {
        guard statuses.contains(status) else {
            throw CheckFailure(
                "expected \(statuses.sorted().map(String.init).joined(separator: " or ")), got \(summary)")
        }
    }
}
