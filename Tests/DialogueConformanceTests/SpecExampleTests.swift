import DialogueConformance
import Foundation
import Testing

@Suite("Worked examples of the specification")
struct SpecExampleTests {
    /// Spec: [dlv-server-document-verify], [dlv-submission-verify], [dlv-notification-verify],
    /// [dlv-ack-verify] — each inline example of delivery.md is exactly the input of the valid vector
    /// it names, so the text and the vectors cannot drift apart; every object has one.
    @Test func deliveryExamplesAreTheirVectors() throws {
        let operations = try Self.examples(in: "Spec/delivery.md")
        #expect(
            operations == ["server-document.verify", "submission.verify", "notification.verify", "ack.verify"],
            "one example per delivery object")
    }

    /// Spec: [list-descriptor-verify], [list-event-verify], [list-keys-verify], [list-post-verify],
    /// [list-entry-verify] — each inline example of lists.md is exactly the input of the valid vector it
    /// names; every list object has one.
    @Test func listExamplesAreTheirVectors() throws {
        let operations = try Self.examples(in: "Spec/lists.md")
        #expect(
            operations == [
                "list-descriptor.verify", "list-event.verify", "list-keys.verify", "list-post.verify",
                "list-entry.verify",
            ], "one example per list object")
    }

    /// Checks every marked example of a chapter against its vector; returns the operations they cover.
    static func examples(in path: String) throws -> Set<String> {
        let chapter = try String(contentsOf: Support.root.appendingPathComponent(path), encoding: .utf8)
        let blocks = SpecExamples.markedBlocks(in: chapter)
        var operations: Set<String> = []
        for (id, block) in blocks {
            let file = try #require(Support.files.first { file in file.tests.contains { $0.id == id } }, "\(id)")
            let vector = try #require(file.tests.first { $0.id == id })
            #expect(vector.result == .valid, "\(id) is a valid vector")
            #expect(vector.flags.contains("SpecExample"), "\(id) is flagged SpecExample")
            let expected = try #require(SpecExamples.text(operation: file.operation, vector: vector))
            #expect(block == expected, "the example of \(id) differs from the vector; it should read:\n\(expected)")
            operations.insert(file.operation)
        }
        return operations
    }
}
