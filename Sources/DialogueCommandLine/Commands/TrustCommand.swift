import ArgumentParser
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue trust`: inspect the trust store and record decisions (Spec: trust.md).
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "See whom you have met and which keys they use; verify contacts; handle key changes.",
        discussion: """
            Every message you open pins its sender's key on first contact. Nothing here is ever decided for \
            you: compare safety numbers with a contact (in person or on a call you place), then 'verify'; \
            after a key-change alarm, 'accept-change' once you have checked. The store is \
            <identity file>.trust.sqlite unless --trust-store says otherwise.
            """,
        subcommands: [
            List.self, Show.self, Verify.self, AcceptChange.self, Withdraw.self, Block.self, Unblock.self,
            SafetyNumberCommand.self, Apply.self, Check.self, Exercise.self, Benchmark.self,
        ]
    )

    /// Which store a `trust` subcommand works on.
    struct Target: ParsableArguments {
        @Option(name: .long, help: "Your secret identity file (its trust store is <file>.trust.sqlite).")
        var `as`: String?

        @OptionGroup var location: TrustStoreOptions

        func validate() throws {
            if `as` == nil && location.trustStore == nil {
                throw ValidationError("give --as IDENTITY or --trust-store PATH")
            }
        }

        func engine() throws -> TrustEngine { try location.open(identity: `as`).engine }
    }

    // MARK: list, show

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every pinned contact: state, address, key.")

        @OptionGroup var target: Target

        func run() async throws {
            let engine = try target.engine()
            let bindings = try await trusting { try await engine.bindings() }
            for binding in bindings {
                let blocked = try await trusting { try await engine.isBlocked(binding.address) }
                let state = blocked ? "blocked" : binding.state.rawValue
                print(
                    "\(state.padding(toLength: 17, withPad: " ", startingAt: 0)) \(TerminalText.line("\(binding.address)")) "
                        + "\(binding.fingerprint.text(kind: .identityKey)) messages=\(binding.messageCount)"
                        + (binding.pendingKey != nil ? " key-change-pending" : "")
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one contact: key, state, history.")

        @OptionGroup var target: Target

        @Argument(help: "The contact's address.")
        var address: String

        func run() async throws {
            let engine = try target.engine()
            let address = try parseAddress(address)
            guard let binding = try await trusting({ try await engine.binding(for: address) }) else {
                throw fail(
                    "unknown-address", "no message from \(address) has been received", status: ExitStatus.noInput)
            }
            print("address     \(TerminalText.line("\(binding.address)"))")
            print("state       \(binding.state.rawValue)")
            print("key         \(binding.fingerprint.text(kind: .identityKey))")
            print("safety      \(SafetyNumber(address: address, identityKey: binding.key))")
            if let pending = binding.pendingKey { print("changed to  \(pending.fingerprint.text(kind: .identityKey))") }
            if let resembles = binding.lookAlikeOf { print("resembles   \(TerminalText.line("\(resembles)"))") }
            if try await trusting({ try await engine.isBlocked(address) }) { print("blocked     yes") }
            print("first seen  \(Format.date(binding.firstSeen))")
            print("last seen   \(Format.date(binding.lastSeen))")
            print("messages    \(binding.messageCount)")
            if binding.unsignedCount > 0 { print("unsigned    \(binding.unsignedCount)") }
            for event in try await trusting({ try await engine.events(for: address) }) {
                print(
                    "event       \(event.sequence) \(Format.date(event.time)) \(event.kind): "
                        + TerminalText.line(event.detail))
            }
        }
    }

    // MARK: decisions

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a contact verified, naming the fingerprint you compared.",
            discussion: """
                Compare the safety number ('dialogue trust safety-number ADDRESS') with your contact in person or \
                on a call you place; then give the fingerprint shown by 'trust show'. A fingerprint that is not the \
                currently pinned one is refused. --payload accepts a scanned dialogue-verify: URI instead.
                """
        )

        @OptionGroup var target: Target

        @Argument(help: "The contact's address.")
        var address: String?

        @Argument(help: "The fingerprint you compared (key-...).")
        var fingerprint: String?

        @Option(name: .long, help: "A dialogue-verify: payload scanned from the contact's device (needs --as).")
        var payload: String?

        func validate() throws {
            if payload == nil && (address == nil || fingerprint == nil) {
                throw ValidationError("give ADDRESS FINGERPRINT, or --payload URI")
            }
            if payload != nil && target.as == nil { throw ValidationError("--payload needs --as IDENTITY") }
        }

        func run() async throws {
            let engine = try target.engine()
            if let payload {
                let parsed: VerificationPayload
                do {
                    parsed = try VerificationPayload(parsing: payload)
                } catch {
                    throw fail("invalid-payload", error.reason)
                }
                let own = try IdentityLoading.card(target.as!)
                let contact = try await trusting { try await engine.markVerified(scanning: parsed, ownCard: own) }
                print("verified    \(contact)")
                return
            }
            let address = try parseAddress(address!)
            let fingerprint: ContentIdentifier
            do {
                fingerprint = try ContentIdentifier(text: self.fingerprint!, kind: .identityKey)
            } catch {
                throw fail(error.code.name, "'\(self.fingerprint!)' is not a key fingerprint: \(error.reason)")
            }
            try await trusting { try await engine.markVerified(address, fingerprint: fingerprint) }
            print("verified    \(address) \(fingerprint.text(kind: .identityKey))")
        }
    }

    /// The target store and one contact's address: what every single-contact decision takes.
    struct Contact: ParsableArguments {
        @OptionGroup var target: Target

        @Argument(help: "The contact's address.")
        var address: String

        /// Parses the address and runs `decision` on the engine; returns both for the report.
        @discardableResult
        func decide(_ decision: (TrustEngine, Address) async throws -> Void) async throws -> (
            engine: TrustEngine, address: Address
        ) {
            let engine = try target.engine()
            let address = try parseAddress(address)
            try await trusting { try await decision(engine, address) }
            return (engine, address)
        }
    }

    struct AcceptChange: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept-change",
            abstract: "Pin the new key a contact used, after you checked with them through another channel."
        )

        @OptionGroup var contact: Contact

        func run() async throws {
            let (engine, address) = try await contact.decide { try await $0.acceptKeyChange($1) }
            let binding = try await trusting { try await engine.binding(for: address) }
            print("pinned      \(address) \(binding?.fingerprint.text(kind: .identityKey) ?? "")")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw the verification of a contact.")

        @OptionGroup var contact: Contact

        func run() async throws {
            print("withdrawn   \(try await contact.decide { try await $0.withdrawVerification($1) }.address)")
        }
    }

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Block an address: its messages are marked blocked.")

        @OptionGroup var contact: Contact

        func run() async throws {
            print("blocked     \(try await contact.decide { try await $0.block($1) }.address)")
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unblock an address.")

        @OptionGroup var contact: Contact

        func run() async throws {
            print("unblocked   \(try await contact.decide { try await $0.unblock($1) }.address)")
        }
    }

    struct SafetyNumberCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "safety-number",
            abstract: "Show the safety number to compare with a contact, and its dialogue-verify: payload.",
            discussion: """
                Both of you see the same 60 digits. Compare them in person or on a call you place yourself; \
                if they match, run 'dialogue trust verify ADDRESS FINGERPRINT'.
                """
        )

        @Option(name: .long, help: "Your secret identity file.")
        var `as`: String

        @OptionGroup var location: TrustStoreOptions

        @Option(name: .long, help: "Which of your addresses to use (default: your card's first).")
        var address: String?

        @Argument(help: "The contact's address.")
        var contact: String

        func run() async throws {
            let card = try IdentityLoading.card(`as`)
            let engine = try location.open(identity: `as`).engine
            let contact = try parseAddress(contact)
            let own = try address.map { try parseAddress($0) }
            if let own, !card.lists(own) { throw fail("address-mismatch", "\(own) is not on your card") }
            let number = try await trusting {
                try await engine.safetyNumber(own: card, ownAddress: own, contact: contact)
            }
            for line in number.lines { print(line) }
            print("you         \(number.first.address == contact ? number.second : number.first)")
            let theirs = number.first.address == contact ? number.first : number.second
            print("them        \(theirs)")
            print("fingerprint \(theirs.fingerprint.text(kind: .identityKey))")
            print("payload     \(number.verificationURI)")
        }
    }

    // MARK: statements and maintenance

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a rotation or revocation statement received outside a message."
        )

        @OptionGroup var target: Target

        @Argument(help: "The statement file.")
        var file: String

        func run() async throws {
            let engine = try target.engine()
            let bytes = try Files.read(file)
            let outcome = try await trusting { try await engine.apply(statement: bytes) }
            print("statement   \(outcome.severity): \(TerminalText.line(outcome.explanation))")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the store: storage integrity, the event log's hash chain, consistency."
        )

        @OptionGroup var target: Target

        func run() async throws {
            let (_, store) = try target.location.open(identity: target.as)
            let report = try await trusting { try await store.check() }
            print("bindings    \(report.bindingCount)")
            print("events      \(report.eventCount)")
            guard report.isSound else {
                for problem in report.problems { writeStandardError("problem: \(problem)\n") }
                throw fail("trust-store-damaged", "\(report.problems.count) problem(s) found")
            }
            print("ok")
        }
    }

    /// Hidden: pins `count` synthetic senders, one transaction each (used by the crash test).
    struct Exercise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pin synthetic senders one transaction at a time (for crash tests).", shouldDisplay: false
        )

        @OptionGroup var location: TrustStoreOptions

        @Option(name: .long, help: "How many senders.")
        var count: Int = 1000

        @Option(name: .long, help: "The first sender's number.")
        var start: Int = 0

        func run() async throws {
            let engine = try location.open(identity: nil).engine
            for index in start..<(start + count) {
                _ = try await trusting { try await engine.observe(Synthetic.observation(index)) }
                if index % 50 == 0 {
                    writeStandardOutput(Array("wrote \(index)\n".utf8))
                }
            }
        }
    }

    /// Hidden: the performance figures of issue 4.
    struct Benchmark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure verdicts per second for a known sender and the store's open time.", shouldDisplay: false
        )

        @OptionGroup var location: TrustStoreOptions

        @Option(name: .long, help: "Bindings in the store.")
        var bindings: Int = 100_000

        @Option(name: .long, help: "Verdicts to measure.")
        var verdicts: Int = 50_000

        @Option(name: .long, help: "Known senders the verdicts are spread over (1: always the same one).")
        var senders: Int = 1

        func run() async throws {
            let path = try location.path(identity: nil)
            let populate = !FileManager.default.fileExists(atPath: path)
            var engine = try location.open(identity: nil).engine
            if populate {
                let start = Date()
                for index in 0..<bindings { _ = try await engine.observe(Synthetic.observation(index)) }
                print(
                    "populated   \(bindings) bindings in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            }
            var opens: [Double] = []
            var plainOpens: [Double] = []
            for _ in 0..<5 {
                var start = Date()
                _ = try SQLiteTrustStore(path: path, options: .init(check: .none))
                plainOpens.append(Date().timeIntervalSince(start) * 1000)
                start = Date()
                let store = try SQLiteTrustStore(path: path)
                opens.append(Date().timeIntervalSince(start) * 1000)
                engine = TrustEngine(store: store)
            }
            print(
                "open        \(plainOpens.map { String(format: "%.1f", $0) }.joined(separator: " ")) ms (no storage check)"
            )
            print(
                "open        \(opens.map { String(format: "%.1f", $0) }.joined(separator: " ")) ms (default open check: quick_check up to 16 MiB)"
            )
            let known = Synthetic.observation(bindings / 2)
            // With several senders, each verdict is for a sender picked evenly across the store.
            let spread = max(1, min(senders, bindings))
            let senderObservations =
                spread == 1 ? [known] : (0..<spread).map { Synthetic.observation($0 * (bindings / spread)) }
            let run = UInt64(Date().timeIntervalSince1970 * 1000)
            let ids = (0..<verdicts).map {
                ContentIdentifier.hashing(Array("bench-\($0)-\(run)".utf8), context: .message)
            }
            let start = Date()
            let cpuStart = Benchmark.cpuSeconds()
            let systemStart = Benchmark.cpuSeconds(system: true)
            for index in 0..<verdicts {
                var observation = senderObservations[(index &* 7919) % spread]
                observation.messageID = ids[index]
                let verdict = try await engine.observe(observation).verdict
                // Synthetic addresses differing only in a 6 and an 8 look alike: row 12 of the table, same path.
                guard verdict.name == "known" || verdict.name == "look-alike" else {
                    throw fail("benchmark", "unexpected verdict \(verdict.name)")
                }
            }
            let elapsed = Date().timeIntervalSince(start)
            let cpu = Benchmark.cpuSeconds() - cpuStart
            let system = Benchmark.cpuSeconds(system: true) - systemStart
            print(
                "cpu         \(String(format: "%.2f", cpu)) s of CPU (all threads): "
                    + "\(Int(Double(verdicts) / cpu)) per CPU-second, one transaction per verdict "
                    + "(\(String(format: "%.1f", cpu / Double(verdicts) * 1e6)) µs each, "
                    + "\(String(format: "%.1f", system / Double(verdicts) * 1e6)) µs in the kernel)"
            )
            print(
                "verdicts    \(verdicts) in \(String(format: "%.2f", elapsed)) s: \(Int(Double(verdicts) / elapsed)) per second"
            )
            let batchIDs = (0..<verdicts).map {
                ContentIdentifier.hashing(Array("batch-\($0)-\(run)".utf8), context: .message)
            }
            let batchStart = Date()
            let batchCPU = Benchmark.cpuSeconds()
            for first in stride(from: 0, to: verdicts, by: 100) {
                let batch = (first..<min(first + 100, verdicts)).map { index -> TrustObservation in
                    var observation = senderObservations[(index &* 7919) % spread]
                    observation.messageID = batchIDs[index]
                    return observation
                }
                _ = try await engine.observe(batch)
            }
            let batchElapsed = Date().timeIntervalSince(batchStart)
            let batchCPUTime = Benchmark.cpuSeconds() - batchCPU
            print(
                "batches     of 100: \(Int(Double(verdicts) / batchElapsed)) per second, "
                    + "\(Int(Double(verdicts) / batchCPUTime)) per CPU-second"
            )
            let memory = TrustEngine(store: MemoryTrustStore())
            _ = try await memory.observe(known)
            let memoryStart = Date()
            for index in 0..<verdicts {
                var observation = known
                observation.messageID = ids[index]
                _ = try await memory.observe(observation)
            }
            print(
                "memory      \(Int(Double(verdicts) / Date().timeIntervalSince(memoryStart))) verdicts per second (in-memory store)"
            )
        }
    }
}

extension TrustCommand.Benchmark {
    /// CPU time of the whole process (all threads), in seconds; only the time spent in the kernel
    /// when `system` is set.
    static func cpuSeconds(system: Bool = false) -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        if system { return Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1_000_000 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
}

/// Synthetic senders for the hidden commands: deterministic keys, addresses `sender-N@example.org`.
enum Synthetic {
    static func observation(_ index: Int) -> TrustObservation {
        let seed = BLAKE2b256.hash(Array("dialogue synthetic sender \(index)".utf8))
        let key = try! Ed25519.VerifyingKey(rawRepresentation: seed)
        let address = try! Address(canonical: "sender-\(index)@example.org")
        return TrustObservation(
            sender: address, identityKey: key, cardAddresses: [address],
            messageID: ContentIdentifier.hashing(Array("synthetic \(index)".utf8), context: .message), date: 0
        )
    }
}

/// Parses an address typed by a person.
func parseAddress(_ text: String) throws -> Address {
    do {
        return try Address(parsing: text)
    } catch {
        throw fail("invalid-address", "'\(text)': \(error.reason)")
    }
}

/// Runs a trust operation, turning its errors into `error: code: reason`.
func trusting<T>(_ body: () async throws -> T) async throws -> T { try await reporting("", body) }
