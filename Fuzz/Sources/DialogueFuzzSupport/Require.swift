/// Traps with `message` unless `condition` holds. Not `precondition`, whose message a release
/// build drops: a finding must say which property failed.
@inline(__always)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
