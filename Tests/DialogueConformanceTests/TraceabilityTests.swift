import Foundation
import Testing

@testable import DialogueConformance

@Suite("Traceability")
struct TraceabilityTests {
    @Test("Every requirement of the specification has a vector or a test")
    func noUncoveredRequirement() throws {
        let trace = try Traceability.scan(
            specDirectory: Support.root.appendingPathComponent("Spec").path,
            testsDirectories: ["Tests", "Server/Tests"].map { Support.root.appendingPathComponent($0).path },
            suiteDirectories: [Support.root.appendingPathComponent("Sources/DialogueServerConformance").path],
            files: Support.files
        )
        #expect(trace.requirements.count > 40)
        #expect(trace.requirements.contains { $0.anchor == "dlv-ack-relay" && $0.suiteChecks >= 2 })
        for requirement in trace.uncovered {
            Issue.record("[\(requirement.anchor)] (\(requirement.chapter)) has neither a vector nor a test")
        }
        for requirement in trace.requirements where !requirement.vectors.isEmpty && requirement.testOnlyReason != nil {
            Issue.record("[\(requirement.anchor)] has vectors: remove it from Traceability.testOnly")
        }
        for anchor in Traceability.testOnly.keys where !trace.requirements.contains(where: { $0.anchor == anchor }) {
            Issue.record("Traceability.testOnly names [\(anchor)], which no chapter defines")
        }
        let first = try #require(trace.requirements.first)
        #expect(trace.markdown.contains("| [\(first.anchor)](\(first.chapter)) |"))
    }

    @Test("The server suite's checks are found by the anchor they cite")
    func suiteCheckAnchors() {
        let source = #"""
            await check("dlv-keep", "keep fetches") { }
            await check("dlv-ack-relay", "relay") { try await post("/x") }
            func check(_ anchor: String) {}
            """#
        #expect(Traceability.checkAnchors(in: source) == ["dlv-keep", "dlv-ack-relay"])
    }

    @Test("Requirement paragraphs are found generically, in any chapter")
    func parser() {
        let chapter = """
            # Trust

            <a id="zz-sample-pin"></a>**[zz-sample-pin]** A client MUST pin the first key it sees
            for an address.

            **[zz-sample-note]** A client may show a note. No requirement here.

            **[zz-sample-shall]** Verdicts SHALL be one of three.

            Some text that mentions **[zz-sample-pin]** in passing MUST not count.

            ```
            **[zz-in-code]** MUST be ignored
            ```

            **[zz-sample-required]** A safety number is REQUIRED.

            A server checks, in this order:

            1. The size.
            2. **[zz-step-two]** The nonce MUST be new.
               It is kept for a while.
            - **[zz-bullet]** A server MUST answer 429.
            - A bullet that says MUST but has no anchor.
            """
        #expect(
            Traceability.requirementAnchors(in: chapter) == [
                "zz-sample-pin", "zz-sample-shall", "zz-sample-required", "zz-step-two", "zz-bullet",
            ])
        #expect(Traceability.contains(anchor: "zz-limits", in: "see [zz-limits]."))
        #expect(!Traceability.contains(anchor: "zz-limits", in: "see zz-limits-extra"))
        #expect(!Traceability.contains(anchor: "zz-text", in: "zz-text-case"))
    }

    @Test("Requirements that wait for the server suite are read from their section, and only from it")
    func serverSuiteSection() {
        let chapter = """
            # Conformance

            - [zz-not-listed] is in another section.

            ## <a id="conf-server-suite"></a>Requirements that need a running server

            Some text with [zz-in-text].

            - [zz-server-one]
            - [zz-server-two]

            ## The next section

            - [zz-after]
            """
        #expect(Traceability.serverSuiteAnchors(in: chapter) == ["zz-server-one", "zz-server-two"])
        #expect(Traceability.serverSuiteAnchors(in: "# no such section\n- [zz-x]\n").isEmpty)
    }
}
