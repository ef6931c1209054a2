import Foundation

/// Reads the code examples of the README and of the DocC catalogs, and the regions of test files
/// that hold the same code, so that a test can check they are the same text: the documented code
/// is then exactly code that compiles and runs.
enum DocumentationSnippets {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The repository's root: three levels above this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The first ```swift block after the heading `heading` of the Markdown file `path` (relative to
    /// the root): its `import` lines, and its other lines without surrounding blank lines.
    static func markdownBlock(_ path: String, after heading: String) throws -> (imports: [String], code: [String]) {
        let lines = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            .components(separatedBy: "\n")
        guard let headingLine = lines.firstIndex(of: heading),
            let start = lines[headingLine...].firstIndex(of: "```swift"),
            let end = lines[(start + 1)...].firstIndex(of: "```")
        else { throw Missing(description: "\(path) has no ```swift block after '\(heading)'") }
        let block = Array(lines[(start + 1)..<end])
        let imports = block.filter { $0.hasPrefix("import ") }
        return (imports, trimmed(block.filter { !$0.hasPrefix("import ") }))
    }

    /// The lines between `// BEGIN EXAMPLE: name` and `// END EXAMPLE: name` of the Swift file at
    /// `path` (absolute), without their common indentation.
    static func region(_ name: String, in path: String) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        guard
            let begin = lines.firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "// BEGIN EXAMPLE: \(name)"
            }),
            let end = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// END EXAMPLE: \(name)" }),
            begin < end
        else { throw Missing(description: "\(path) has no region '\(name)'") }
        let region = Array(lines[(begin + 1)..<end])
        let indentation =
            region.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return trimmed(region.map { $0.count >= indentation ? String($0.dropFirst(indentation)) : "" })
    }

    /// The `import` lines of the Swift file at `path`.
    static func imports(of path: String) throws -> Set<String> {
        Set(
            try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").filter {
                $0.hasPrefix("import ")
            })
    }

    /// The first line where `documented` and `tested` differ, described, or `nil` if they are the same text.
    static func difference(_ documented: [String], _ tested: [String]) -> String? {
        for index in 0..<max(documented.count, tested.count) {
            let left = index < documented.count ? documented[index] : "(end)"
            let right = index < tested.count ? tested[index] : "(end)"
            if left != right { return "line \(index + 1): documented «\(left)», tested «\(right)»" }
        }
        return nil
    }

    private static func trimmed(_ lines: [String]) -> [String] {
        let isBlank = { (line: String) in line.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.firstIndex(where: { !isBlank($0) }), let last = lines.lastIndex(where: { !isBlank($0) })
        else { return [] }
        return Array(lines[first...last])
    }
}
