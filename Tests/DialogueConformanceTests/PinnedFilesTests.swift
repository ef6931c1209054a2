import DialogueCrypto
import Foundation
import Testing

@Suite("Pinned vector files")
struct PinnedFilesTests {
    @Test(
        "conf-files-pinned: every vector file has the SHA-256 that Spec/conformance.md lists, and no file is unlisted")
    func specificationPinsTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let spec = try String(contentsOf: root.appendingPathComponent("Spec/conformance.md"), encoding: .utf8)
        var pinned: [String: String] = [:]
        for line in spec.split(separator: "\n") where line.hasPrefix("| `") && line.contains(".json` | `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let trim = CharacterSet(charactersIn: "`")
            pinned[cells[0].trimmingCharacters(in: trim)] = cells[1].trimmingCharacters(in: trim)
        }
        let directory = root.appendingPathComponent("TestVectors")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(pinned.keys))
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            let digest = SHA256.hash(bytes).map { String($0, radix: 16).leftPadded }.joined()
            #expect(pinned[file] == digest, "\(file)")
        }
    }
}

extension String {
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
