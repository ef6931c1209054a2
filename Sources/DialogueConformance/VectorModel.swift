/// The format of a vector file (Spec: conformance.md#conf-vectors).
public enum VectorFormat {
    /// The value of every file's `format` member.
    public static let identifier = "dialogue-test-vectors/1"
}

/// What a vector expects (Spec: conformance.md#conf-vectors).
public enum ExpectedResult: String, Sendable, Codable, CaseIterable {
    /// The operation succeeds and its outputs match `expected`.
    case valid
    /// The operation fails with the vector's error class.
    case invalid
    /// Either outcome is allowed; a success must match `expected`.
    case acceptable
}

/// One test vector.
public struct TestVector: Sendable, Hashable {
    /// A stable identifier, never reused.
    public var id: String
    /// What the case is about.
    public var comment: String
    /// Properties of the case, each explained in the file's `notes`.
    public var flags: [String]
    /// The requirement anchors the case exercises.
    public var spec: [String]
    /// Every input of the operation.
    public var input: JSONValue
    /// The expected result.
    public var result: ExpectedResult
    /// For `valid` and `acceptable`: the outputs that must match (absent fields are not checked).
    public var expected: JSONValue?
    /// For `invalid`: the error class.
    public var error: String?
    /// For `invalid`: a finer code, checked only for adapters with the `error-detail` feature.
    public var detail: String?
    /// For `message.seal`: what the runner needs to cross-check a seal (the recipients' secrets).
    public var crossCheck: JSONValue?
    /// For `message.open`: how the envelope was made (the message key and the ephemeral secret), so
    /// that anyone can re-derive every step; informational, never sent to an implementation.
    public var construction: JSONValue?

    /// Creates a vector; give `expected` for `valid` and `acceptable`, `error` for `invalid`.
    public init(
        id: String, comment: String, flags: [String], spec: [String], input: JSONValue, result: ExpectedResult,
        expected: JSONValue? = nil, error: String? = nil, detail: String? = nil, crossCheck: JSONValue? = nil,
        construction: JSONValue? = nil
    ) {
        self.id = id
        self.comment = comment
        self.flags = flags
        self.spec = spec
        self.input = input
        self.result = result
        self.expected = expected
        self.error = error
        self.detail = detail
        self.crossCheck = crossCheck
        self.construction = construction
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("comment", .string(comment)), ("flags", .array(flags.map { .string($0) })),
            ("spec", .array(spec.map { .string($0) })), ("input", input), ("result", .string(result.rawValue)),
        ]
        if let expected { members.append(("expected", expected)) }
        if let error { members.append(("error", .string(error))) }
        if let detail { members.append(("detail", .string(detail))) }
        if let crossCheck { members.append(("cross_check", crossCheck)) }
        if let construction { members.append(("construction", construction)) }
        return .object(members)
    }

    init(json: JSONValue) throws(VectorFileError) {
        guard let id = json["id"]?.stringValue else { throw VectorFileError("a test has no string id") }
        guard let resultText = json["result"]?.stringValue, let result = ExpectedResult(rawValue: resultText) else {
            throw VectorFileError("\(id): result must be valid, invalid or acceptable")
        }
        guard let input = json["input"], input.objectValue != nil else {
            throw VectorFileError("\(id): input must be an object")
        }
        self.id = id
        self.comment = json["comment"]?.stringValue ?? ""
        self.flags = (json["flags"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.spec = (json["spec"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.input = input
        self.result = result
        self.expected = json["expected"]
        self.error = json["error"]?.stringValue
        self.detail = json["detail"]?.stringValue
        self.crossCheck = json["cross_check"]
        self.construction = json["construction"]
        if result == .invalid && error == nil { throw VectorFileError("\(id): an invalid test names an error class") }
    }
}

/// A group of tests that share a comment.
public struct TestGroup: Sendable, Hashable {
    /// What the tests of the group have in common.
    public var comment: String
    /// The tests.
    public var tests: [TestVector]

    /// Creates a group.
    public init(comment: String, tests: [TestVector]) {
        self.comment = comment
        self.tests = tests
    }
}

/// One file of `TestVectors/`.
public struct VectorFile: Sendable, Hashable {
    /// The operation every test of the file exercises, e.g. `card.verify`.
    public var operation: String
    /// A sentence about the file.
    public var description: String
    /// Every flag used in the file, with its meaning.
    public var notes: [(String, String)]
    /// The groups.
    public var testGroups: [TestGroup]

    /// Creates a file from its groups; `numberOfTests` is derived from them.
    public init(operation: String, description: String, notes: [(String, String)], testGroups: [TestGroup]) {
        self.operation = operation
        self.description = description
        self.notes = notes
        self.testGroups = testGroups
    }

    /// Every test, in file order.
    public var tests: [TestVector] { testGroups.flatMap(\.tests) }

    /// The file name: the operation with `.` replaced by `_`, plus `.json`.
    public var fileName: String { operation.fileStem + ".json" }

    /// Equal files: the same JSON (the order of object members does not matter).
    public static func == (lhs: VectorFile, rhs: VectorFile) -> Bool { lhs.json == rhs.json }
    /// Hashes the operation only, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(operation) }

    /// The file as JSON, members in the order of the specification.
    public var json: JSONValue {
        .object([
            ("format", .string(VectorFormat.identifier)),
            ("operation", .string(operation)),
            ("description", .string(description)),
            ("numberOfTests", .integer(Int64(tests.count))),
            ("notes", .object(notes.map { ($0.0, .string($0.1)) })),
            (
                "testGroups",
                .array(
                    testGroups.map {
                        .object([("comment", .string($0.comment)), ("tests", .array($0.tests.map(\.json)))])
                    }
                )
            ),
        ])
    }

    /// The file's bytes: indented JSON ending with a line feed.
    public var encoded: [UInt8] { Array(json.pretty().utf8) }

    /// Reads a vector file.
    public init(json: JSONValue) throws(VectorFileError) {
        guard json["format"]?.stringValue == VectorFormat.identifier else {
            throw VectorFileError("not a \(VectorFormat.identifier) file")
        }
        guard let operation = json["operation"]?.stringValue else { throw VectorFileError("no operation") }
        self.operation = operation
        self.description = json["description"]?.stringValue ?? ""
        self.notes = (json["notes"]?.objectValue ?? []).map { ($0.0, $0.1.stringValue ?? "") }
        var groups: [TestGroup] = []
        for group in json["testGroups"]?.arrayValue ?? [] {
            var tests: [TestVector] = []
            for test in group["tests"]?.arrayValue ?? [] { tests.append(try TestVector(json: test)) }
            groups.append(TestGroup(comment: group["comment"]?.stringValue ?? "", tests: tests))
        }
        self.testGroups = groups
        if let count = json["numberOfTests"]?.integerValue, count != Int64(tests.count) {
            throw VectorFileError("numberOfTests is \(count) but the file has \(tests.count) tests")
        }
    }
}

extension VectorFile: Codable {
    /// Decodes a vector file (Spec: conformance.md#conf-vectors) from its JSON.
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    /// Encodes the file as its JSON.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

/// Why a vector file could not be read.
public struct VectorFileError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the file.
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// The operation as a file name: `.` and `-` become `_` (`server-document.verify` is `server_document_verify`).
    var fileStem: String { String(map { $0 == "." || $0 == "-" ? "_" : $0 }) }
}
