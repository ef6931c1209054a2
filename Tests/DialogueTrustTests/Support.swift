import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

/// The receive time every scenario starts at (2023-11-14 22:13:20 UTC).
let t0: UInt64 = 1_700_000_000

/// Deterministic identities from fixed seeds: `seed` fills the Ed25519 seed, `seed + 128` the X25519 secret.
enum Fixture {
    static func signingKey(_ seed: UInt8) -> Ed25519.SigningKey {
        try! Ed25519.SigningKey(seed: [UInt8](repeating: seed, count: 32))
    }

    static func identity(_ addresses: [String], seed: UInt8) -> SecretIdentity {
        try! SecretIdentity(
            signingKey: signingKey(seed),
            encryptionKey: X25519.PrivateKey(rawRepresentation: [UInt8](repeating: seed &+ 128, count: 32)),
            addresses: addresses.map { try! Address(canonical: $0) }, created: t0 - 86_400,
            expires: t0 + 2 * 365 * 86_400
        )
    }

    static func identity(_ address: String, seed: UInt8) -> SecretIdentity { identity([address], seed: seed) }

    static func address(_ text: String) -> Address { try! Address(canonical: text) }

    static func messageID(_ name: String) -> ContentIdentifier {
        ContentIdentifier.hashing(Array(name.utf8), context: .message)
    }

    /// A rotation from `old` to `new` for `addresses`, created now, valid a year.
    static func rotation(
        _ addresses: [String], from old: UInt8, to new: UInt8, sequence: UInt64 = 1, previous: [UInt8] = [],
        created: UInt64 = t0, expires: UInt64? = nil
    ) -> RotationStatement {
        try! RotationStatement(
            addresses: addresses.map(address), from: signingKey(old), to: signingKey(new), sequence: sequence,
            previousHash: previous, created: created, expires: expires ?? created + 365 * 86_400
        )
    }
}

/// Which store a scenario runs on: every scenario runs on both, which must agree.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite

    var testDescription: String { rawValue }
}

/// A temporary directory, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dialogue-trust-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An engine on a fresh store with a manual clock at `t0`.
struct Harness: Sendable {
    let clock = ManualTrustClock(t0)
    let engine: TrustEngine
    let directory = TemporaryDirectory()

    init(_ kind: StoreKind) throws {
        switch kind {
        case .memory:
            engine = TrustEngine(store: MemoryTrustStore(), clock: clock)
        case .sqlite:
            engine = TrustEngine(store: try SQLiteTrustStore(path: directory.file("trust.sqlite")), clock: clock)
        }
    }

    /// The observation of a message signed by `identity`, claiming `address` (its first by default).
    func message(
        _ identity: SecretIdentity, as address: String? = nil, id: String, statements: [[UInt8]] = [],
        date: UInt64 = t0
    ) -> TrustObservation {
        TrustObservation(
            sender: address.map(Fixture.address) ?? identity.card.addresses[0], identityKey: identity.card.identityKey,
            cardAddresses: identity.card.addresses, messageID: Fixture.messageID(id), date: date, statements: statements
        )
    }

    @discardableResult
    func observe(
        _ identity: SecretIdentity, as address: String? = nil, id: String, statements: [[UInt8]] = [],
        date: UInt64 = t0
    ) async throws -> TrustAssessment {
        try await engine.observe(message(identity, as: address, id: id, statements: statements, date: date))
    }

    func binding(_ address: String) async throws -> TrustBinding? {
        try await engine.binding(for: Fixture.address(address))
    }

    /// The store passes its full check.
    func expectSound(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await engine.store.check()
        #expect(report.problems == [], sourceLocation: sourceLocation)
    }
}

/// The `dialogue` executable built next to the test bundle, for the multi-process tests.
enum DialogueBinary {
    static let url: URL = {
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

    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Starts `dialogue` with `arguments`, standard output and error going to files.
    static func start(_ arguments: [String], in directory: TemporaryDirectory, name: String) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        _ = FileManager.default.createFile(atPath: directory.file(name + ".out"), contents: nil)
        _ = FileManager.default.createFile(atPath: directory.file(name + ".err"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file(name + ".out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file(name + ".err")))
        try process.run()
        return process
    }

    static func result(of process: Process, in directory: TemporaryDirectory, name: String) -> Result {
        process.waitUntilExit()
        let read = { (suffix: String) in
            String(
                decoding: FileManager.default.contents(atPath: directory.file(name + suffix)) ?? Data(), as: UTF8.self)
        }
        return Result(status: process.terminationStatus, standardOutput: read(".out"), standardError: read(".err"))
    }

    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> Result {
        let name = "run-\(UUID().uuidString)"
        return result(of: try start(arguments, in: directory, name: name), in: directory, name: name)
    }
}
