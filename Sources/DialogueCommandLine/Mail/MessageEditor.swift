import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The body of `dialogue send` written in the user's editor, as git does for a commit message:
/// a new file only the user can read (mode 0600, the text is private until sealed), the editor from
/// `$VISUAL`, else `$EDITOR`, else `vi`, run through `sh -c` so that an editor with arguments
/// ("code --wait") works; an editor that fails or leaves the file empty aborts the send.
enum MessageEditor {
    /// Runs the editor on a new, empty temporary file and returns what it holds afterwards.
    static func compose() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor =
            [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        var template = Array((NSTemporaryDirectory() + "/dialogue-message-XXXXXX.txt").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }  // 0600
        guard descriptor >= 0 else {
            throw fail(
                "cannot-create", "cannot create a file for the editor: \(String(cString: strerror(errno)))",
                status: ExitStatus.cannotCreate)
        }
        close(descriptor)
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$@\"", editor, path]
        do { try process.run() } catch {
            throw fail("editor-failed", "cannot run the editor '\(editor)': \(error)", status: ExitStatus.unavailable)
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw fail(
                "editor-failed",
                "the editor '\(editor)' exited with status \(process.terminationStatus): nothing was sent",
                status: ExitStatus.usage)
        }
        let text = String(decoding: try Files.read(path), as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail("empty-message", "the message is empty: nothing was sent", status: ExitStatus.usage)
        }
        return text
    }
}
