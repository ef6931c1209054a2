internal import DialogueCrypto

/// What happened to one vector (or one cross-check).
public struct VectorResult: Sendable {
    /// Passed, failed or skipped.
    public enum Status: String, Sendable {
        case passed, failed, skipped
    }

    /// The vector file, e.g. `card_verify.json`.
    public var file: String
    /// The vector id; cross-checks append `/cross-check-…`.
    public var id: String
    /// The outcome.
    public var status: Status
    /// What the vector expects, e.g. `invalid (bad-signature)`.
    public var expected: String
    /// What the implementation did.
    public var actual: String
    /// The requirement anchors of the vector.
    public var spec: [String]
    /// Why it failed or was skipped.
    public var reason: String
    /// Seconds spent.
    public var seconds: Double
}

/// Which vectors to run, and how (Spec: conformance.md#conf-runner).
public struct RunnerOptions: Sendable {
    /// File names (`card_verify`, `card_verify.json`) or operations (`card.verify`); empty for all.
    public var files: [String] = []
    /// Vector ids; empty for all.
    public var ids: [String] = []
    /// Flags; a vector runs if it has any of them; empty for all.
    public var flags: [String] = []
    /// Vector ids (or prefixes ending in `*`) to skip, with a reason.
    public var skipList: [String: String] = [:]
    /// Whether to run the cross-checks of `message.seal`.
    public var crossChecks = true

    /// Options that run every vector and every cross-check, with an empty skip list.
    public init() {}
}

/// A finished run.
public struct RunReport: Sendable {
    /// The implementation's hello.
    public var implementation: AdapterHello?
    /// Every result, in order.
    public var results: [VectorResult]
    /// Wall-clock seconds.
    public var seconds: Double

    /// How many checks passed.
    public var passed: Int { results.filter { $0.status == .passed }.count }
    /// How many checks failed.
    public var failed: Int { results.filter { $0.status == .failed }.count }
    /// How many checks were skipped (answered `unsupported`, or on the skip list).
    public var skipped: Int { results.filter { $0.status == .skipped }.count }

    /// The closing line: `N passed, N failed, N skipped`.
    public var summary: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

/// Replays vectors against an implementation and judges each answer.
public struct ConformanceRunner: Sendable {
    /// The vector files to replay.
    public let files: [VectorFile]
    /// Filters and the skip list.
    public let options: RunnerOptions

    /// Creates a runner for `files`, filtered by `options`.
    public init(files: [VectorFile], options: RunnerOptions = RunnerOptions()) {
        self.files = files
        self.options = options
    }

    /// Runs every selected vector against `target`. `progress` is called after each result.
    public func run(
        _ target: any ConformanceTarget, progress: (VectorResult) -> Void = { _ in }
    ) async -> RunReport {
        let started = Deadline.now()
        var results: [VectorResult] = []
        func record(_ result: VectorResult) {
            results.append(result)
            progress(result)
        }
        let hello: AdapterHello
        do {
            hello = try await target.start()
        } catch {
            for file in selectedFiles() {
                for vector in file.tests where selects(vector) {
                    record(
                        VectorResult(
                            file: file.fileName, id: vector.id, status: .failed, expected: Self.describe(vector),
                            actual: "no adapter", spec: vector.spec, reason: "\(error)", seconds: 0
                        )
                    )
                }
            }
            return RunReport(implementation: nil, results: results, seconds: Self.elapsed(since: started))
        }
        let reference = ReferenceTarget()
        for file in selectedFiles() {
            for vector in file.tests where selects(vector) {
                let vectorStart = Deadline.now()
                if let reason = skipReason(vector.id) {
                    record(Self.skipped(file, vector, reason))
                    continue
                }
                guard hello.operations.contains(file.operation) else {
                    record(Self.skipped(file, vector, "the implementation does not implement \(file.operation)"))
                    continue
                }
                let outcome = await target.perform(file.operation, input: CompactBytes.expand(vector.input))
                var result = Self.judge(vector, outcome, features: hello.features)
                result.file = file.fileName
                result.seconds = Self.elapsed(since: vectorStart)
                record(result)
                if options.crossChecks, file.operation == "message.seal", vector.result == .valid,
                    vector.crossCheck != nil
                {
                    for check in await crossChecks(vector, target: target, hello: hello, reference: reference) {
                        var check = check
                        check.file = file.fileName
                        record(check)
                    }
                }
            }
        }
        await target.stop()
        return RunReport(implementation: hello, results: results, seconds: Self.elapsed(since: started))
    }

    func selectedFiles() -> [VectorFile] {
        guard !options.files.isEmpty else { return files }
        return files.filter { file in
            options.files.contains { name in
                name == file.operation || name == file.fileName || name + ".json" == file.fileName
            }
        }
    }

    func selects(_ vector: TestVector) -> Bool {
        (options.ids.isEmpty || options.ids.contains(vector.id))
            && (options.flags.isEmpty || !Set(options.flags).isDisjoint(with: vector.flags))
    }

    func skipReason(_ id: String) -> String? {
        if let reason = options.skipList[id] { return reason }
        for (pattern, reason) in options.skipList where pattern.hasSuffix("*") {
            if id.hasPrefix(pattern.dropLast()) { return reason }
        }
        return nil
    }

    static func elapsed(since start: UInt64) -> Double { Double(Deadline.now() - start) / 1e9 }

    static func describe(_ vector: TestVector) -> String {
        switch vector.result {
        case .valid: return "valid"
        case .acceptable: return "acceptable"
        case .invalid:
            return vector.detail.map { "invalid (\(vector.error ?? "?"), \($0))" } ?? "invalid (\(vector.error ?? "?"))"
        }
    }

    static func skipped(_ file: VectorFile, _ vector: TestVector, _ reason: String) -> VectorResult {
        VectorResult(
            file: file.fileName, id: vector.id, status: .skipped, expected: describe(vector), actual: "skipped",
            spec: vector.spec, reason: reason, seconds: 0
        )
    }

    /// Compares an outcome with what the vector expects (Spec: conformance.md#conf-vectors, #conf-errors).
    static func judge(_ vector: TestVector, _ outcome: Outcome, features: Set<String>) -> VectorResult {
        var result = VectorResult(
            file: "", id: vector.id, status: .passed, expected: describe(vector), actual: outcome.description,
            spec: vector.spec, reason: "", seconds: 0
        )
        func fail(_ reason: String) -> VectorResult {
            result.status = .failed
            result.reason = reason
            return result
        }
        switch outcome {
        case .broken(let reason):
            return fail(reason)
        case .unsupported(let message):
            result.status = .skipped
            result.reason = "the implementation answered unsupported" + (message.map { ": \($0)" } ?? "")
            return result
        case .ok(let output):
            if vector.result == .invalid { return fail("the implementation accepted an invalid input") }
            if let mismatch = firstMismatch(expected: vector.expected, actual: output) { return fail(mismatch) }
            return result
        case .error(let errorClass, let detail, let message):
            let said = message.map { ": \($0)" } ?? ""
            guard ErrorClass.all.contains(errorClass) else {
                return fail(
                    "'\(errorClass)' is not an error class of the specification (map it with --error-map)\(said)")
            }
            switch vector.result {
            case .valid: return fail("the implementation rejected a valid input\(said)")
            case .acceptable: return result
            case .invalid:
                guard errorClass == vector.error else { return fail("wrong error class\(said)") }
                if features.contains("error-detail"), let expectedDetail = vector.detail, detail != expectedDetail {
                    return fail("wrong detail: expected \(expectedDetail), got \(detail ?? "none")\(said)")
                }
                return result
            }
        }
    }

    /// The first field of `expected` that `actual` does not match exactly, described; `nil` when all match.
    static func firstMismatch(expected: JSONValue?, actual: JSONValue) -> String? {
        guard let members = expected?.objectValue else { return nil }
        for (key, value) in members {
            guard let got = actual[key] else { return "the output has no '\(key)'" }
            if got != value {
                return "output '\(key)' differs: expected \(clip(value.compact())), got \(clip(got.compact()))"
            }
        }
        return nil
    }

    static func clip(_ text: String) -> String {
        text.utf8.count <= 160 ? text : String(decoding: text.utf8.prefix(150), as: UTF8.self) + "…"
    }

    // MARK: Cross-checks

    /// Cross-checks of one `message.seal` vector (Spec: conformance.md#conf-operations): the
    /// implementation seals with its own randomness and the reference opens; the reference seals and
    /// the implementation opens.
    func crossChecks(
        _ vector: TestVector, target: any ConformanceTarget, hello: AdapterHello, reference: ReferenceTarget
    ) async -> [VectorResult] {
        var results: [VectorResult] = []
        let unseeded = vector.input.setting("randomness", .null)
        func result(_ suffix: String, _ failure: String?, _ start: UInt64) -> VectorResult {
            VectorResult(
                file: "", id: vector.id + "/" + suffix, status: failure == nil ? .passed : .failed,
                expected: "opens as sealed", actual: failure == nil ? "opens as sealed" : "differs",
                spec: vector.spec + ["prim-random"], reason: failure ?? "",
                seconds: ConformanceRunner.elapsed(since: start)
            )
        }
        if hello.features.contains("cross-check"), hello.operations.contains("message.seal") {
            let start = Deadline.now()
            let outcome = await target.perform("message.seal", input: unseeded)
            var failure: String?
            if case .ok(let output) = outcome {
                failure = await verifySeal(output, vector: vector, opener: reference)
                let fixed = ConformanceRunner.envelopes(of: vector.expected ?? .null)
                if failure == nil, vector.input["mode"] == "encrypted",
                    zip(ConformanceRunner.envelopes(of: output), fixed).contains(where: { $0 == $1 })
                {
                    failure = "with randomness null an envelope equals the one sealed with the vector's randomness"
                }
            } else {
                failure = "sealing with randomness null gave \(outcome)"
            }
            results.append(result("cross-check-implementation-seals", failure, start))
        }
        if let seals = vector.crossCheck?["shuffle_seals"]?.integerValue, hello.features.contains("cross-check"),
            hello.operations.contains("message.seal")
        {
            let start = Deadline.now()
            var shuffle = result("cross-check-stanza-shuffle", nil, start)
            if let failure = await stanzaShuffleFailure(vector, seals: Int(seals), target: target, reference: reference)
            {
                shuffle = result("cross-check-stanza-shuffle", failure, start)
            }
            shuffle.spec.append("msg-stanza-order")
            results.append(shuffle)
        }
        if hello.operations.contains("message.open") {
            let start = Deadline.now()
            let outcome = await reference.perform("message.seal", input: unseeded)
            var failure: String?
            if case .ok(let output) = outcome {
                failure = await verifySeal(output, vector: vector, opener: target)
                if failure == nil, hello.operations.contains("chunk.open"),
                    let opening = try? ConformanceRunner.openings(of: output, vector: vector).first(where: {
                        !$0.secrets.isEmpty
                    })
                {
                    failure = await verifyChunks(
                        output, opening: opening, secret: opening.secrets[0], opener: target, input: vector.input)
                }
            } else {
                failure = "the reference could not seal: \(outcome)"
            }
            results.append(result("cross-check-reference-seals", failure, start))
        }
        return results
    }

    /// Why `seals` seals with randomness null do not look shuffled: every one of them has the stanzas
    /// in the order of the recipients (Spec: [msg-stanza-order]). The reference opens each envelope
    /// as each visible recipient and reads which stanza opened. A sender that shuffles its three
    /// recipients puts them in recipient order once in six seals, so `seals` = 16 fails a correct
    /// implementation with probability 6^-16.
    private func stanzaShuffleFailure(
        _ vector: TestVector, seals: Int, target: any ConformanceTarget, reference: ReferenceTarget
    ) async -> String? {
        let unseeded = vector.input.setting("randomness", .null)
        let secrets = vector.crossCheck?["recipients"]?.arrayValue ?? []
        for _ in 0..<seals {
            guard case .ok(let output) = await target.perform("message.seal", input: unseeded),
                let envelope = output["envelope"]
            else { return "sealing with randomness null failed" }
            var order: [Int64] = []
            for secret in secrets {
                let request = ConformanceRunner.openRequest(envelope, secret)
                guard case .ok(let opened) = await reference.perform("message.open", input: request),
                    let index = opened["stanza_index"]?.integerValue
                else { return "the reference cannot open a seal made with randomness null" }
                order.append(index)
            }
            if order != (0..<Int64(secrets.count)).map({ $0 }) { return nil }
        }
        return "\(seals) seals with randomness null all put the stanzas in the order of the recipients"
    }

    /// One envelope of a seal's output: the primary envelope or a blind copy, whom its manifest
    /// must list (input recipient objects, in order) and the `cross_check` secrets that open it.
    struct Opening {
        let envelope: JSONValue
        let messageID: JSONValue?
        let listed: [JSONValue]
        let secrets: [JSONValue]
    }

    /// Why a seal's output does not have the envelopes its input asks for.
    struct ShapeError: Error {
        let reason: String
    }

    /// The envelopes of a seal's output: the primary one, then each blind copy in the order of the
    /// `bcc` recipients (Spec: conformance.md, `message.seal`).
    static func envelopes(of output: JSONValue) -> [JSONValue] {
        [output["envelope"] ?? .null] + (output["blind_copies"]?.arrayValue ?? []).map { $0["envelope"] ?? .null }
    }

    /// Pairs each envelope of a seal's output with whom it lists and who opens it; with only `bcc`
    /// recipients in encrypted mode, checks that the envelope is the first blind copy.
    static func openings(of output: JSONValue, vector: TestVector) throws(ShapeError) -> [Opening] {
        guard let envelope = output["envelope"] else { throw ShapeError(reason: "the seal output has no envelope") }
        let recipients = vector.input["recipients"]?.arrayValue ?? []
        let visible = recipients.filter { $0["role"] != "bcc" }
        let blind = recipients.filter { $0["role"] == "bcc" }
        let copies = output["blind_copies"]?.arrayValue ?? []
        guard copies.count == blind.count else {
            throw ShapeError(
                reason: "the seal output has \(copies.count) blind copies for \(blind.count) bcc recipients")
        }
        let blindSecrets = vector.crossCheck?["blind_copies"]?.arrayValue ?? []
        var openings = [
            Opening(
                envelope: envelope, messageID: output["message_id"], listed: visible,
                secrets: vector.crossCheck?["recipients"]?.arrayValue ?? [])
        ]
        for (index, copy) in copies.enumerated() {
            openings.append(
                Opening(
                    envelope: copy["envelope"] ?? .null, messageID: copy["message_id"],
                    listed: visible + [blind[index]],
                    secrets: index < blindSecrets.count ? [blindSecrets[index]] : []))
        }
        if visible.isEmpty, vector.input["mode"] == "encrypted", let first = copies.first,
            first["envelope"] != envelope || first["message_id"] != output["message_id"]
        {
            throw ShapeError(reason: "with only bcc recipients the envelope is not the first blind copy")
        }
        return openings
    }

    /// Opens each envelope of a sealed message as each of its recipients with `opener`, and
    /// compares it with the seal's input.
    private func verifySeal(_ output: JSONValue, vector: TestVector, opener: any ConformanceTarget) async -> String? {
        let openings: [Opening]
        do { openings = try ConformanceRunner.openings(of: output, vector: vector) } catch { return error.reason }
        for opening in openings {
            for recipient in opening.secrets {
                if let failure = await verifyEnvelope(
                    output, opening: opening, recipient: recipient, input: vector.input, opener: opener)
                {
                    return failure
                }
            }
        }
        return nil
    }

    /// Opens one envelope of a sealed message as one recipient and compares it with the seal's input.
    private func verifyEnvelope(
        _ output: JSONValue, opening: Opening, recipient: JSONValue, input: JSONValue, opener: any ConformanceTarget
    ) async -> String? {
        let request = ConformanceRunner.openRequest(opening.envelope, recipient)
        guard case .ok(let opened) = await opener.perform("message.open", input: request) else {
            return "the message does not open for \(recipient["addresses"]?.compact() ?? "a recipient")"
        }
        if let id = opening.messageID, opened["message_id"] != id {
            return "message_id differs: sealed \(id.compact()), opened \(opened["message_id"]?.compact() ?? "none")"
        }
        let checks: [(String, JSONValue?, JSONValue?)] = [
            ("mode", input["mode"], opened["mode"]),
            ("sender", input["sender"]?["address"], opened["sender"]),
            ("sender_card", input["sender"]?["card"], opened["sender_card"]),
            ("date", input["date"], opened["date"]),
            ("headers", input["headers"], opened["headers"]),
            ("in_reply_to", input["in_reply_to"], opened["in_reply_to"]),
            ("references", input["references"], opened["references"]),
            (
                "recipients",
                .array(
                    opening.listed.map {
                        .array([$0["address"] ?? .null, $0["role"] ?? .null])
                    }),
                .array(
                    (opened["recipients"]?.arrayValue ?? []).map {
                        .array([$0["address"] ?? .null, $0["role"] ?? .null])
                    })
            ),
            (
                "parts",
                .array(
                    (input["parts"]?.arrayValue ?? []).map {
                        .array([
                            $0["media_type"] ?? .null, $0["file_name"] ?? .null,
                            .integer(Int64(($0["content"]?.stringValue?.utf8.count ?? 0) / 2)),
                        ])
                    }
                ),
                .array(
                    (opened["parts"]?.arrayValue ?? []).map {
                        .array([$0["media_type"] ?? .null, $0["file_name"] ?? .null, $0["size"] ?? .null])
                    })
            ),
        ]
        for (name, sealed, got) in checks where sealed != got {
            return
                "opened \(name) differs: sealed \(ConformanceRunner.clip(sealed?.compact() ?? "none")), opened \(ConformanceRunner.clip(got?.compact() ?? "none"))"
        }
        if opener is ReferenceTarget {
            return await verifyChunks(output, opening: opening, secret: recipient, opener: opener, input: input)
        }
        return nil
    }

    /// The `message.open` input that opens `envelope` as the `cross_check` recipient `recipient`.
    static func openRequest(_ envelope: JSONValue, _ recipient: JSONValue) -> JSONValue {
        .object([
            ("envelope", envelope), ("encryption_secret", recipient["encryption_secret"] ?? .null),
            ("addresses", recipient["addresses"] ?? .array([])), ("stanza_index", .null),
        ])
    }

    /// Opens every chunk of every part of one envelope with `opener` and compares the plaintext
    /// with the seal's input.
    private func verifyChunks(
        _ output: JSONValue, opening: Opening, secret: JSONValue, opener: any ConformanceTarget, input: JSONValue
    ) async -> String? {
        let reference = ReferenceTarget()
        let request = ConformanceRunner.openRequest(opening.envelope, secret)
        guard case .ok(let opened) = await reference.perform("message.open", input: request) else {
            return "the reference cannot open the message"
        }
        let contents = (input["parts"]?.arrayValue ?? []).map { $0["content"]?.stringValue ?? "" }
        for (partIndex, part) in (opened["parts"]?.arrayValue ?? []).enumerated() {
            var plaintext = ""
            for (index, chunk) in (part["chunks"]?.arrayValue ?? []).enumerated() {
                guard let id = chunk.stringValue, let blob = output["blobs"]?[id] else {
                    return "part \(partIndex): chunk \(index) is not among the blobs"
                }
                let chunkRequest: JSONValue = .object([
                    (
                        "part",
                        .object([
                            ("size", part["size"] ?? 0), ("key", part["key"] ?? ""), ("chunks", part["chunks"] ?? []),
                        ])
                    ),
                    ("index", .integer(Int64(index))), ("blob", blob),
                ])
                guard case .ok(let result) = await opener.perform("chunk.open", input: chunkRequest),
                    let text = result["plaintext"]?.stringValue
                else { return "part \(partIndex): chunk \(index) does not open" }
                plaintext += text
            }
            guard partIndex < contents.count, plaintext == contents[partIndex] else {
                return "part \(partIndex): the opened content differs from the sealed content"
            }
        }
        return nil
    }
}
