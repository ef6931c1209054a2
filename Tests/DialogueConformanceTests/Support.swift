import DialogueConformance
import Foundation

/// Paths and helpers shared by the conformance tests.
enum Support {
    /// The repository's root: three levels above this file.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var vectorsDirectory: String { root.appendingPathComponent("TestVectors").path }

    /// The checked-in vector files, read once.
    static let files: [VectorFile] = {
        do {
            return try VectorGenerator.load(from: vectorsDirectory)
        } catch {
            fatalError("cannot read the vectors: \(error)")
        }
    }()

    /// The `dialogue` binary next to the test bundle (as Tests/DialogueCommandLineTests/CommandRunner.swift finds it).
    static let dialogue: URL = {
        let testBinary = URL(
            fileURLWithPath: try! FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dialogue").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("dialogue")
    }()

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dialogue-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Single-quotes `text` for /bin/sh.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
