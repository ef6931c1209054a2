/// Small text helpers for explanations, without Foundation.
enum TrustText {
    /// `YYYY-MM-DD HH:MM UTC` for seconds since 1970 (civil-from-days, proleptic Gregorian).
    static func date(_ seconds: UInt64) -> String {
        let days = Int64(seconds / 86_400)
        let secondsOfDay = Int64(seconds % 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(pad(month))-\(pad(day)) \(pad(secondsOfDay / 3600)):\(pad(secondsOfDay % 3600 / 60)) UTC"
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
