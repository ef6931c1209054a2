internal import Foundation

/// Maps every requirement of the specification to the vectors and the tests that cite it
/// (Spec: README.md#conv-anchors).
///
/// A requirement is a paragraph of `Spec/*.md` that starts with a `**[anchor]**` (after an
/// optional HTML anchor) and contains MUST, MUST NOT, SHALL or REQUIRED. New chapters and new
/// anchors are picked up as they appear.
public struct Traceability: Sendable {
    /// One requirement paragraph (Spec: README.md#conv-anchors) and what covers it.
    public struct Requirement: Sendable {
        /// The anchor, e.g. `card-signature`.
        public var anchor: String
        /// The chapter file, e.g. `identities.md`.
        public var chapter: String
        /// The ids of the vectors that cite it.
        public var vectors: [String]
        /// The test files (relative paths) that cite it.
        public var tests: [String]
        /// How many checks of the server conformance suite cite it (Spec: conformance.md#conf-server-suite).
        public var suiteChecks = 0
        /// Whether the chapter Conformance lists it among the requirements that only the server
        /// suite can check, which is not published yet (Spec: conformance.md#conf-server-suite).
        public var awaitsServerSuite = false

        /// Why no vector can exercise the requirement, if it is one of ``Traceability/testOnly``.
        public var testOnlyReason: String? { Traceability.testOnly[anchor] }

        /// Whether a vector or a check of the server suite cites the requirement, or a test does and
        /// ``testOnlyReason`` says why neither can: a rule observable from outside gets a vector, or,
        /// for a server's answers over HTTP, a check that any server can be held to.
        public var isCovered: Bool {
            !vectors.isEmpty || suiteChecks > 0 || (!tests.isEmpty && testOnlyReason != nil)
        }
    }

    /// The requirements that no vector can exercise, with the reason: what they constrain is not
    /// in the answer to any operation of conformance.md (time, memory, files, prose, the
    /// generator), so tests of the Swift implementation check them instead.
    public static let testOnly: [String: String] = [
        "list-one-copy":
            "what a server stores per post and what a poll reads are not in any answer; a server test posts to a "
            + "list of 41 members and finds one index entry and the blob, and a poll that reads after its cursor",
        "list-epoch-fresh":
            "fresh randomness is not in any answer; a test checks that each epoch's key pair is drawn anew",
        "list-post-open":
            "opening is message.open's (its vectors) with the epoch key as the recipient key; a test opens posts "
            + "with the keys each member holds and checks the author against the post",
        "prim-constant-time":
            "timing is not in any answer; a test checks that every comparison of secrets goes through the constant-time one",
        "prim-zeroize": "freed memory is not in any answer; a test checks that the secret buffers are wiped",
        "secret-mode": "a file's permissions on disk are not in any answer; a test checks the mode written",
        "trust-explanation":
            "the explanations are prose for people; trust.replay gives verdict names, which vectors check",
        "trust-batch": "trust.replay processes events one at a time; batching is internal to a store",
        "trust-store-atomic": "concurrent writers and atomicity are properties of a store, not of an answer",
        "trust-store-durable": "crashes and power loss are properties of a store, not of an answer",
        "trust-store-identity": "the store's identifier lives in files outside every operation",
        "trust-store-log": "the event log is not in any answer of trust.replay",
        "trust-store-head": "the log's head is stored state, not an answer",
        "trust-store-check": "damaged storage is a file, not an input of any operation",
        "conf-vectors-deterministic": "a property of the generator, checked by regenerating the files",
        "conf-files-pinned": "a property of the files themselves, checked against their SHA-256",
        "conf-adapter-one-response": "the framing of the adapter protocol, checked by the runner's tests",
        "msg-reader-display":
            "what a reading program prints is not an answer of any operation; tests run the command on hostile messages",
        "msg-reader-files":
            "the files a reading program writes are not an answer of any operation; tests run the command on hostile names",
        "msg-reader-partial":
            "what a reading program shows before it fails is not an answer; tests run the command on a corrupt part",
        "dlv-peers-parse":
            "a server's configuration file, not an object on the wire; tests check every rejection names its line",
        "dlv-card-response":
            "no operation of conformance.md decodes a card response yet; tests check its limits and layout",
        "dlv-retry-classes":
            "an outbox's decision, not an answer to a request; tests check every status from 100 to 599",
        "dlv-retry-backoff":
            "depends on a random source and on time; tests check the formula with a fixed source and its bounds",
        "dlv-errors":
            "the statuses of a running server; a test holds the table to openapi.json, the server suite checks servers",
        // What a server does over HTTP: the answers of a running server, not of an operation of
        // conformance.md. Server/Tests drive dialogued's application with signed requests.
        "dlv-notification-idempotent":
            "a server's answer to a repeated request; server tests post a notification twice and count the inbox",
        "dlv-ack-idempotent": "a server's answer to a repeated request; server tests relay an acknowledgement twice",
        "dlv-limits-before-read":
            "when a server stops reading is not in any object; server tests send long bodies, declared and chunked",
        "dlv-upload-verify": "a server's handling of an upload; server tests upload new, repeated and wrong bytes",
        "dlv-blob-serve": "HTTP headers and ranges of a running server; server tests fetch, HEAD and range a blob",
        "dlv-inbox-cursor":
            "a server's listing over time; server tests page an inbox that other users' entries interleave",
        "dlv-inbox-wait": "a long poll is timing; server tests wake one with a notification and time it",
        "dlv-keep": "a server fetching from another; server tests keep twice and count the fetches",
        "dlv-delete": "a server's stored state; server tests acknowledge, then fetch the blobs and look at the files",
        "dlv-delete-crash-safe": "crashes are not in any answer; server tests run the start-up sweep on leftover files",
        "dlv-tombstones": "a server's answers after a deletion; server tests fetch deleted blobs and get 410",
        "dlv-abuse-unknown": "a server's accounts; server tests notify an address the server has no user for",
        "dlv-abuse-head":
            "a server asking another before it answers; server tests answer its HEAD with every class, faked and on loopback",
        "dlv-abuse-rate":
            "depends on time and on the requests before; server tests spend a bucket on a manual clock and see 429",
        "dlv-limits-time":
            "how long a server waits is timing, not an object; server tests send a silent head and a dripping body",
        "dlv-discovery-self":
            "where a server sends its own domains' mail is its own state, not an answer of any operation; a server test resolves a served domain without a fetch",
        "dlv-ops-metrics":
            "what a server logs and exports is not an answer of any operation; server tests read /metrics and the log",
        "dlv-ops-shutdown":
            "shutting down is a process's behaviour over time; server tests drain a running server with requests in flight",
        "dlv-ops-tls": "how a server listens is its configuration; tests start dialogued with and without TLS",
        "dlv-server-no-secrets":
            "what a server stores is not an answer; dialogued's tests offer it a secret file as a card and scan its files",
        "dlv-durable":
            "crashes are not in any answer; a server test kills dialogued with SIGKILL mid-burst and checks what it acknowledged",
        "dlv-submission-durable":
            "crashes are not in any answer; a server test kills dialogued mid-burst and finds every acknowledged submission",
        "dlv-notification-durable":
            "crashes are not in any answer; a server test kills dialogued mid-burst and finds every confirmed notification",
        "dlv-card-judged":
            "a user agent's decision before it seals, not an answer; client tests refuse a changed key before any upload",
        "dlv-keep-before-ack":
            "the order of a user agent's requests, not an answer; client tests keep, acknowledge, then read on a second device",
        "dlv-retry-per-peer":
            "an outbox's schedule over time; outbox tests count the probes to a down peer and the catch-up after it",
    ]

    /// Every requirement, in chapter order.
    public var requirements: [Requirement]
    /// Anchors that vectors cite but that no chapter defines as a requirement, with how many vectors cite them.
    public var undefinedCitations: [(String, Int)]

    /// The requirements that have neither a vector nor a test, and are not declared as awaiting the server suite.
    public var uncovered: [Requirement] { requirements.filter { !$0.isCovered && !$0.awaitsServerSuite } }

    /// The requirements that only the server suite can check and that nothing covers yet.
    public var awaitingServerSuite: [Requirement] { requirements.filter { !$0.isCovered && $0.awaitsServerSuite } }

    /// Scans `specDirectory` for requirements, `testsDirectory` for Swift tests, and `files` for vectors.
    public static func scan(specDirectory: String, testsDirectory: String, files: [VectorFile]) throws -> Traceability {
        try scan(specDirectory: specDirectory, testsDirectories: [testsDirectory], files: files)
    }

    /// Scans `specDirectory` for requirements, every one of `testsDirectories` for Swift tests (the root
    /// package's `Tests` and the server package's `Server/Tests`), and `files` for vectors. A test is named
    /// by its path from the repository (the parent of `specDirectory`).
    public static func scan(
        specDirectory: String, testsDirectories: [String], suiteDirectories: [String] = [], files: [VectorFile]
    ) throws -> Traceability {
        let manager = FileManager.default
        var requirements: [Requirement] = []
        let chapters = try manager.contentsOfDirectory(atPath: specDirectory).filter { $0.hasSuffix(".md") }
            .filter { $0 != "traceability.md" }.sorted { chapterOrder($0) < chapterOrder($1) }
        for chapter in chapters {
            let text = try String(contentsOfFile: specDirectory + "/" + chapter, encoding: .utf8)
            for anchor in requirementAnchors(in: text) where !requirements.contains(where: { $0.anchor == anchor }) {
                requirements.append(Requirement(anchor: anchor, chapter: chapter, vectors: [], tests: []))
            }
        }
        var citations: [String: [String]] = [:]
        for file in files {
            for vector in file.tests {
                for anchor in vector.spec { citations[anchor, default: []].append(vector.id) }
            }
        }
        var testTexts: [(String, String)] = []
        let root = (specDirectory as NSString).deletingLastPathComponent
        for testsDirectory in testsDirectories {
            let name =
                !root.isEmpty && testsDirectory.hasPrefix(root + "/")
                ? String(testsDirectory.dropFirst(root.count + 1)) : testsDirectory
            guard let enumerator = manager.enumerator(atPath: testsDirectory) else { continue }
            while let path = enumerator.nextObject() as? String {
                guard path.hasSuffix(".swift"), !path.hasPrefix(".build/"), !path.contains("/.build/") else { continue }
                if let text = try? String(contentsOfFile: testsDirectory + "/" + path, encoding: .utf8) {
                    testTexts.append((name + "/" + path, text))
                }
            }
        }
        testTexts.sort { $0.0 < $1.0 }
        var suiteCitations: [String: Int] = [:]
        for directory in suiteDirectories {
            guard let enumerator = manager.enumerator(atPath: directory) else { continue }
            while let path = enumerator.nextObject() as? String {
                guard path.hasSuffix(".swift"),
                    let text = try? String(contentsOfFile: directory + "/" + path, encoding: .utf8)
                else { continue }
                for anchor in checkAnchors(in: text) { suiteCitations[anchor, default: 0] += 1 }
            }
        }
        for index in requirements.indices {
            let anchor = requirements[index].anchor
            requirements[index].suiteChecks = suiteCitations[anchor] ?? 0
            requirements[index].vectors = citations[anchor] ?? []
            requirements[index].tests = testTexts.filter { contains(anchor: anchor, in: $0.1) }.map(\.0)
        }
        if let conformance = try? String(contentsOfFile: specDirectory + "/conformance.md", encoding: .utf8) {
            let awaiting = serverSuiteAnchors(in: conformance)
            for index in requirements.indices where awaiting.contains(requirements[index].anchor) {
                requirements[index].awaitsServerSuite = true
            }
        }
        let defined = Set(requirements.map(\.anchor))
        let undefined = citations.filter { !defined.contains($0.key) }.map { ($0.key, $0.value.count) }.sorted {
            $0.0 < $1.0
        }
        return Traceability(requirements: requirements, undefinedCitations: undefined)
    }

    static func chapterOrder(_ name: String) -> String {
        let order = [
            "README.md", "encoding.md", "primitives.md", "identifiers.md", "identities.md", "messages.md", "trust.md",
            "delivery.md",
            "conformance.md",
        ]
        if let index = order.firstIndex(of: name) { return String(index) + name }
        return "9" + name
    }

    /// The anchors of the requirement paragraphs of a chapter.
    static func requirementAnchors(in text: String) -> [String] {
        var anchors: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            defer { paragraph = [] }
            guard !paragraph.isEmpty else { return }
            var body = paragraph.joined(separator: " ")[...]
            while body.hasPrefix("<a id=\"") {
                guard let end = body.range(of: "</a>") else { break }
                body = body[end.upperBound...]
            }
            guard body.hasPrefix("**["), let close = body.range(of: "]**") else { return }
            let anchor = String(body[body.index(body.startIndex, offsetBy: 3)..<close.lowerBound])
            guard anchor.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), !anchor.isEmpty else { return }
            let words = body.split { !$0.isLetter }
            guard words.contains(where: { $0 == "MUST" || $0 == "SHALL" || $0 == "REQUIRED" }) else { return }
            anchors.append(anchor)
        }
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                flush()
                inCode.toggle()
                continue
            }
            if inCode { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
            } else if let item = listItemBody(line) {
                // A list item starts a paragraph of its own: a requirement may be one step of a list.
                flush()
                paragraph.append(item)
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return anchors
    }

    /// The anchors listed in the section `conf-server-suite` of the chapter Conformance: requirements of
    /// servers that no vector can reach and that the server suite checks.
    static func serverSuiteAnchors(in text: String) -> Set<String> {
        guard let start = text.range(of: "<a id=\"conf-server-suite\"></a>") else { return [] }
        var anchors: Set<String> = []
        var inCode = false
        for line in text[start.upperBound...].split(separator: "\n").dropFirst() {
            if line.hasPrefix("```") { inCode.toggle() }
            if inCode { continue }
            if line.hasPrefix("#") { break }
            guard let body = listItemBody(line), body.hasPrefix("["), let close = body.firstIndex(of: "]") else {
                continue
            }
            anchors.insert(String(body[body.index(after: body.startIndex)..<close]))
        }
        return anchors
    }

    /// The anchors that the server suite's checks cite: the first argument of each `check("anchor", …)`.
    static func checkAnchors(in text: String) -> [String] {
        var anchors: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "check(\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            anchors.append(String(rest[..<end]))
        }
        return anchors
    }

    /// The text of a Markdown list item after its marker (`- `, `* ` or `12. `), or `nil` for another line.
    static func listItemBody(_ line: Substring) -> Substring? {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") { return trimmed.dropFirst(2) }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let rest = trimmed.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 3, rest.hasPrefix(". ") else { return nil }
        return rest.dropFirst(2)
    }

    /// Whether `anchor` occurs in `text` as a whole token (not inside a longer anchor).
    static func contains(anchor: String, in text: String) -> Bool {
        let bytes = Array(text.utf8)
        let needle = Array(anchor.utf8)
        guard needle.count <= bytes.count else { return false }
        func isAnchorByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d
        }
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
                let before = index == 0 ? 0x20 : bytes[index - 1]
                let after = index + needle.count == bytes.count ? 0x20 : bytes[index + needle.count]
                if !isAnchorByte(before) && !isAnchorByte(after) { return true }
            }
            index += 1
        }
        return false
    }

    /// The last column: the reason, for a requirement without vectors or server-suite checks.
    private func whyTestsOnly(_ requirement: Requirement) -> String {
        guard requirement.vectors.isEmpty, requirement.suiteChecks == 0 || requirement.testOnlyReason != nil else {
            return ""
        }
        return requirement.testOnlyReason ?? "**no reason: give it a vector**"
    }

    /// The table, as `Spec/traceability.md`.
    public var markdown: String {
        var text = """
            # Traceability: requirements, vectors and tests

            Generated by `dialogue vectors trace`; do not edit by hand. Every requirement of the
            specification (a paragraph that starts with an anchor and says MUST, MUST NOT, SHALL or
            REQUIRED; see [Conventions](README.md#conv-anchors)) is listed with the published vectors
            of `TestVectors/` that cite it in their `spec` field, the checks of the server conformance
            suite (`dialogue conformance --server`, [conf-server-suite](conformance.md#conf-server-suite))
            that cite it, and the Swift test files that name it. Every requirement that the answer of an
            operation can show has a vector; what a server answers over HTTP has a check of the server
            suite, which any server can be held to; the few that neither can show (timing, memory, files
            on disk, prose, the generator itself) are checked by tests, and the last column says why. A
            requirement with none of these, or with only tests and no reason, fails
            `dialogue vectors trace --check`.

            | requirement | chapter | vectors | examples | server suite | tests | why tests only |
            |---|---|---|---|---|---|---|

            """
        for requirement in requirements {
            let examples =
                requirement.vectors.prefix(3).map { "`\($0)`" }.joined(separator: ", ")
                + (requirement.vectors.count > 3 ? ", …" : "")
            let tests = requirement.tests.map { "`\($0)`" }.joined(separator: ", ")
            let chapter = "[\(requirement.chapter)](\(requirement.chapter))"
            let none =
                requirement.awaitsServerSuite
                ? "**not yet: server suite** ([conf-server-suite](conformance.md#conf-server-suite))" : "**none**"
            text +=
                "| [\(requirement.anchor)](\(requirement.chapter)) | \(chapter) | \(requirement.vectors.count) | \(examples) | \(requirement.suiteChecks) | \(tests.isEmpty ? (requirement.isCovered ? "" : none) : tests) | \(whyTestsOnly(requirement)) |\n"
        }
        let covered = requirements.filter(\.isCovered).count
        let withVectors = requirements.filter { !$0.vectors.isEmpty }.count
        let withChecks = requirements.filter { $0.suiteChecks > 0 }.count
        text += "\n\(withVectors) of \(requirements.count) requirements have a vector, "
        text += "\(withChecks) a check of the server suite; "
        text += "\(covered) of \(requirements.count) have a vector, a check or a test with a reason"
        let awaiting = awaitingServerSuite
        if !awaiting.isEmpty {
            text +=
                "; \(awaiting.count) requirements of servers have none yet and wait for the server suite: "
                + awaiting.map(\.anchor).joined(separator: ", ")
        }
        text += uncovered.isEmpty ? ".\n" : "; uncovered: \(uncovered.map(\.anchor).joined(separator: ", ")).\n"
        if !undefinedCitations.isEmpty {
            text += "\nAnchors cited by vectors that no chapter defines as a requirement paragraph (yet): "
            text += undefinedCitations.map { "`\($0.0)` (\($0.1))" }.joined(separator: ", ") + ".\n"
        }
        return text
    }
}
