internal import DialogueCBOR

/// The worked examples of Spec/delivery.md, rendered from the published vectors so that a test
/// can hold the specification's text to them (Spec: conformance.md#conf-vectors).
///
/// Each example sits under a marker `<!-- example: VECTOR-ID -->` and is a code block holding the
/// body in diagnostic notation, one top-level entry a line, then the signed object in hexadecimal.
public enum SpecExamples {
    /// The input member holding the object, for each delivery-object operation.
    static let objectMember = [
        "server-document.verify": "document", "submission.verify": "submission",
        "notification.verify": "notification", "ack.verify": "ack",
        "list-descriptor.verify": "descriptor", "list-event.verify": "event", "list-keys.verify": "keys",
        "list-post.verify": "post", "list-entry.verify": "entry",
    ]

    /// The example block (without the fences) for a valid vector of a delivery-object operation,
    /// or `nil` when the vector has no such object or it does not decode.
    public static func text(operation: String, vector: TestVector) -> String? {
        guard let member = objectMember[operation], let hex = vector.input[member]?.stringValue,
            let bytes = Hex.decode(hex), let outer = try? CBORDecoder().decode(bytes),
            let elements = try? outer.array(), let first = elements.first, let body = try? first.byteString(),
            let node = try? CBORDecoder().decode(body), let entries = try? node.map()
        else { return nil }
        var text = "; body, in diagnostic notation\n{\n"
        for (index, entry) in entries.enumerated() {
            let comma = index == entries.count - 1 ? "" : ","
            let key = entry.key.value.diagnosticDescription
            // A list of maps (keys, deliveries) gets one element a line.
            if let elements = try? entry.value.array(), !elements.isEmpty, elements.allSatisfy({ $0.type == .map }) {
                text += "  \(key): [\n"
                for (position, element) in elements.enumerated() {
                    let separator = position == elements.count - 1 ? "" : ","
                    text += "    \(element.value.diagnosticDescription)\(separator)\n"
                }
                text += "  ]\(comma)\n"
            } else {
                text += "  \(key): \(entry.value.value.diagnosticDescription)\(comma)\n"
            }
        }
        text += "}\n; the signed object, \(bytes.count) bytes, in hexadecimal\n"
        var line = ""
        for character in hex {
            line.append(character)
            if line.count == 64 {
                text += line + "\n"
                line = ""
            }
        }
        if !line.isEmpty { text += line + "\n" }
        return text
    }

    /// Every marker of a chapter's text, with the block that follows it: `(vector id, block)`.
    public static func markedBlocks(in chapter: String) -> [(id: String, block: String)] {
        var result: [(String, String)] = []
        let lines = chapter.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("<!-- example: "), line.hasSuffix(" -->") else {
                index += 1
                continue
            }
            let id = String(line.dropFirst("<!-- example: ".count).dropLast(" -->".count))
            var block = ""
            index += 1
            if index < lines.count, lines[index].hasPrefix("```") { index += 1 }
            while index < lines.count, !lines[index].hasPrefix("```") {
                block += lines[index] + "\n"
                index += 1
            }
            result.append((id, block))
            index += 1
        }
        return result
    }
}
