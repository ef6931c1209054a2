import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line progress report on standard error for downloads and uploads of a large blob, only
/// when standard error is a terminal.
enum ProgressBar {
    /// A handler, or `nil` when standard error is not a terminal.
    static func handler() -> ProgressHandler? {
        guard isatty(2) == 1 else { return nil }
        return { progress in
            guard let total = progress.total, total >= 1 << 20 else { return }
            let percent = total == 0 ? 100 : progress.bytes * 100 / total
            let verb = progress.direction == .upload ? "upload" : "fetch"
            writeStandardError(
                "\r\(verb) \(progress.blob.text(kind: .blob).prefix(16))… \(progress.bytes >> 10)/\(total >> 10) KiB \(percent)%"
                    + (progress.finished ? "\n" : ""))
        }
    }
}
