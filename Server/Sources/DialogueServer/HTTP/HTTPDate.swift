internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The `Date` field of an answer in the IMF-fixdate form of RFC 9110 section 5.6.7
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), formatted once a second: what Hummingbird adds to the answers of
/// the application, for the answers ``LiveBlobChannelHandler`` sends without it.
enum HTTPDate {
    private static let cache = Mutex<(second: Int, text: String)>((-1, ""))
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current time as an IMF-fixdate.
    static var now: String {
        var seconds = time(nil)
        return cache.withLock { cache in
            if cache.second == Int(seconds) { return cache.text }
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let text = format(parts)
            cache = (Int(seconds), text)
            return text
        }
    }

    /// `parts` (UTC) as an IMF-fixdate.
    static func format(_ parts: tm) -> String {
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
