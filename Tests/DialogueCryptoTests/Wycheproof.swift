import Foundation
import Testing

// One loader for every Wycheproof file (C2SP/wycheproof, testvectors_v1): the common shape is
// decoded here, the algorithm-specific fields by the group and test types each suite declares.

/// Wycheproof's verdict on a test case.
enum WycheproofResult: String, Decodable, Sendable {
    /// The primitive must accept the case and produce the given output.
    case valid
    /// The primitive must reject the case.
    case invalid
    /// The primitive's specification allows both outcomes; Dialogue's spec picks one, and the
    /// suite pins it per flag.
    case acceptable
}

/// The fields every Wycheproof test case has.
protocol WycheproofTestCase: Decodable, Sendable {
    var tcId: Int { get }
    var comment: String { get }
    var flags: [String] { get }
    var result: WycheproofResult { get }
}

/// A Wycheproof test group: shared parameters and its test cases.
protocol WycheproofTestGroup: Decodable, Sendable {
    associatedtype TestCase: WycheproofTestCase
    var tests: [TestCase] { get }
}

/// A flag's explanation in the file's `notes`.
struct WycheproofNote: Decodable, Sendable {
    let bugType: String?
    let description: String?
}

/// A whole Wycheproof file.
struct WycheproofFile<Group: WycheproofTestGroup>: Decodable, Sendable {
    let algorithm: String
    let numberOfTests: Int
    let notes: [String: WycheproofNote]
    let testGroups: [Group]
}

/// How many cases of each result a replay went through.
struct WycheproofTally: Equatable, CustomStringConvertible {
    var valid = 0
    var invalid = 0
    var acceptable = 0

    var total: Int { valid + invalid + acceptable }

    var description: String { "\(total) cases: \(valid) valid, \(invalid) invalid, \(acceptable) acceptable" }

    mutating func count(_ result: WycheproofResult) {
        switch result {
        case .valid: valid += 1
        case .invalid: invalid += 1
        case .acceptable: acceptable += 1
        }
    }
}

enum Wycheproof {
    /// `TestVectors/external/wycheproof/`, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // DialogueCryptoTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("TestVectors/external/wycheproof", isDirectory: true)

    /// Loads `name` (for example `x25519_test.json`).
    static func load<Group: WycheproofTestGroup>(_ name: String, as _: Group.Type) throws -> WycheproofFile<Group> {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(WycheproofFile<Group>.self, from: data)
    }

    /// Replays every case of `name` through `check`, which must assert the outcome Dialogue
    /// requires for that case.
    ///
    /// Also checks that the number of cases replayed equals the file's `numberOfTests`, and that
    /// every flag is explained in the file's notes. Prints the tally.
    ///
    /// - Returns: The tally, for the caller to pin.
    @discardableResult
    static func replay<Group: WycheproofTestGroup>(
        _ name: String,
        as type: Group.Type,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ check: (Group, Group.TestCase) throws -> Void
    ) throws -> WycheproofTally {
        let file = try load(name, as: type)
        var tally = WycheproofTally()
        for group in file.testGroups {
            for test in group.tests {
                for flag in test.flags where file.notes[flag] == nil {
                    Issue.record(
                        "\(name) tcId \(test.tcId): flag \(flag) is not in the notes", sourceLocation: sourceLocation)
                }
                try check(group, test)
                tally.count(test.result)
            }
        }
        #expect(
            tally.total == file.numberOfTests,
            "\(name): replayed \(tally.total) cases, the file declares \(file.numberOfTests)",
            sourceLocation: sourceLocation
        )
        print("Wycheproof \(name) (\(file.algorithm)): \(tally)")
        return tally
    }
}
