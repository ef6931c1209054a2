internal import Foundation

/// The client's clock, in whole seconds since 1970.
enum ClientClock {
    /// Now.
    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
}
