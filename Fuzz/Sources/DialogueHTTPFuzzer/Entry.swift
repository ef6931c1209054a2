internal import DialogueFuzzSupport

// The contexts of the request vectors, read once by LLVMFuzzerInitialize; libFuzzer runs every
// entry point on its one thread.
nonisolated(unsafe) var contexts: FuzzContexts?

/// Reads the contexts of the request vectors from `DIALOGUE_FUZZ_CONTEXTS` (default `contexts`),
/// written by Fuzz/make-corpus.py: the `http` target takes its seeds and contexts from the
/// `request` target, whose signed seeds then reach the routes behind the signature check.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    contexts = FuzzContexts.loadOrExit(FuzzTarget.named("request")!)
    return 0
}

/// One request through the whole HTTP application; every violated property traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: data, count: count))
    HTTPChecks.check(input, contexts: contexts!)
    return 0
}
