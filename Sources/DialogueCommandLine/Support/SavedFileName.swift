/// The name under which `open --out` saves a part: the sender's file name where it is safe,
/// otherwise a substitute, and `name (1).ext`, `name (2).ext`… when the name is taken
/// (Spec: messages.md#msg-reader-files).
///
/// The rules, in order:
/// - no file name: `part-N`, N counting parts from 1;
/// - a character that ``TerminalText`` escapes (controls, bidirectional and invisible
///   format characters) or a `/` becomes `_`, so the name on disk looks like what was shown;
/// - `.` and `..` become `part-N`;
/// - a leading `.` becomes `_.` (`.bashrc` is saved as `_.bashrc`): a sender does not create
///   hidden files;
/// - the name, with any ` (N)` suffix, is cut to at most ``maximumBytes`` bytes of UTF-8 on a
///   character boundary, keeping the extension.
struct SavedFileName {
    /// The file-system limit on a name (`NAME_MAX` on Linux and macOS).
    static let maximumBytes = 255

    /// An extension longer than this is not kept when a name is shortened: it is not one.
    static let maximumExtensionBytes = 32

    /// The name before its extension.
    let stem: String
    /// `.ext`, or empty.
    let fileExtension: String
    /// Why the name differs from the sender's, for people; empty if it does not.
    let changes: [String]

    /// The name proposed for part `number` (from 1) whose file name in the manifest is `fileName`.
    init(fileName: String, partNumber number: Int) {
        var changes: [String] = []
        var name = fileName
        if name.isEmpty {
            name = "part-\(number)"
        } else {
            var safe = String.UnicodeScalarView()
            for scalar in name.unicodeScalars {
                safe.append(TerminalText.isEscaped(scalar) || scalar == "/" ? "_" : scalar)
            }
            if String(safe) != name {
                changes.append("it holds characters that are not shown as themselves")
                name = String(safe)
            }
            if name == "." || name == ".." {
                changes.append("'\(name)' names a directory")
                name = "part-\(number)"
            } else if name.hasPrefix(".") {
                changes.append("a leading '.' would make a hidden file")
                name = "_" + name
            }
        }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
            name.utf8[dot...].count <= Self.maximumExtensionBytes
        {
            stem = String(name[..<dot])
            fileExtension = String(name[dot...])
        } else {
            stem = name
            fileExtension = ""
        }
        self.changes = changes
    }

    /// The name for attempt `attempt`: the name itself for 0, then `stem (attempt).ext`, cut to
    /// `limit` bytes on a character boundary.
    func candidate(_ attempt: Int, limit: Int = maximumBytes) -> String {
        let suffix = (attempt == 0 ? "" : " (\(attempt))") + fileExtension
        let room = limit - suffix.utf8.count
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in stem.unicodeScalars {
            let length = String(scalar).utf8.count
            if bytes + length > room { break }
            kept.append(scalar)
            bytes += length
        }
        return String(kept) + suffix
    }

    /// Whether ``candidate(_:limit:)`` had to cut the name.
    func isShortened(_ attempt: Int, limit: Int = maximumBytes) -> Bool {
        let suffix = (attempt == 0 ? "" : " (\(attempt))") + fileExtension
        return stem.utf8.count + suffix.utf8.count > limit
    }
}
