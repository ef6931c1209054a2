internal import CLibFuzzer
internal import DialogueFuzzSupport

#if canImport(Glibc)
    internal import Glibc
#endif

// The target and its contexts, set once by LLVMFuzzerInitialize before any input; libFuzzer
// runs every entry point on its one thread.
nonisolated(unsafe) var selected = FuzzTarget.all[0]
nonisolated(unsafe) var contexts: FuzzContexts?
/// The corpus directories named on the command line, and ``FixtureKeys/forgettings`` when the
/// mutator last learned their signatures.
nonisolated(unsafe) var corpusDirectories: [String] = []
nonisolated(unsafe) var learnedAt = -1

/// Picks the target named by `DIALOGUE_FUZZ_TARGET` and reads its contexts from the directory
/// `DIALOGUE_FUZZ_CONTEXTS` (default `contexts`). One binary holds every target so that one
/// build serves them all; each run fuzzes one parser with its own corpus, so the coverage
/// libFuzzer reports is that parser's.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    let names = FuzzTarget.all.map(\.name).joined(separator: " ")
    guard let pointer = getenv("DIALOGUE_FUZZ_TARGET"), let target = FuzzTarget.named(String(cString: pointer)) else {
        StandardError.print("set DIALOGUE_FUZZ_TARGET to one of: \(names)")
        exit(2)
    }
    selected = target
    contexts = FuzzContexts.loadOrExit(target)
    // libFuzzer's arguments that are not flags are corpus directories (or single inputs).
    corpusDirectories = (1..<Int(argc.pointee)).compactMap { index in
        guard let pointer = argv.pointee?[index] else { return nil }
        let argument = String(cString: pointer)
        guard !argument.hasPrefix("-"), let stream = opendir(argument) else { return nil }
        closedir(stream)
        return argument
    }
    return 0
}

/// Finds the fixture key of every signature in the corpus, so that the mutator can sign its
/// mutants again: at the first mutation, and after ``FixtureKeys`` emptied its table.
func learnCorpusSignatures() {
    guard learnedAt != FixtureKeys.forgettings, let contexts else { return }
    let files = corpusDirectories.reduce(0) { $0 + SignedObjectMutator.learn(directory: $1, contexts: contexts) }
    StandardError.print(
        "learned the signatures of \(files) corpus files (table emptied \(FixtureKeys.forgettings) times)")
    learnedAt = FixtureKeys.forgettings
}

/// One input for the selected target; every violated property traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: data, count: count))
    switch selected.name {
    case "cbor": checkCBOR(input)
    case "structured-field": checkStructuredField(input)
    case "content-digest": checkContentDigest(input)
    case "card-response": checkCardResponse(input)
    case "peers-file": checkPeersFile(input)
    default: OperationChecks.check(input, target: selected, contexts: contexts!)
    }
    return 0
}

/// For the signed objects, half the mutations are structure-aware ([SignedObjectMutator]): the
/// field decoded, one of its fields changed, re-encoded and signed again by the fixture key
/// that signed it. The other half, and every mutation of the other targets, are libFuzzer's.
@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: CUnsignedInt) -> Int
{
    var random = FuzzRandom(seed: UInt64(seed))
    guard selected.isSigned, random.oneIn(2) else { return LLVMFuzzerMutate(data, size, maxSize) }
    learnCorpusSignatures()
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let prefixed = contexts?.isPrefixed ?? false
    let head = prefixed ? Array(input.prefix(1)) : []
    let field = Array(input.dropFirst(head.count))
    guard var mutated = SignedObjectMutator.mutate(field, random: &random) else {
        return LLVMFuzzerMutate(data, size, maxSize)
    }
    if prefixed && random.oneIn(8) {
        mutated.insert(UInt8(truncatingIfNeeded: random.next()), at: 0)
    } else {
        mutated.insert(contentsOf: head, at: 0)
    }
    guard mutated.count <= maxSize else { return LLVMFuzzerMutate(data, size, maxSize) }
    mutated.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: $0.count) }
    return mutated.count
}
