internal import DialogueFuzzSupport
internal import Foundation
internal import NIOPosix

// The contexts of the request vectors, read once by LLVMFuzzerInitialize; libFuzzer runs every
// entry point on its one thread.
nonisolated(unsafe) var contexts: FuzzContexts?
/// Whether the target is `http-wire` (``WireChecks``) rather than `http` (``HTTPChecks``).
nonisolated(unsafe) var isWire = false

/// Reads the contexts of the request vectors from `DIALOGUE_FUZZ_CONTEXTS` (default `contexts`),
/// written by Fuzz/make-corpus.py: the `http` target takes its seeds and contexts from the
/// `request` target, whose signed seeds then reach the routes behind the signature check.
/// `DIALOGUE_FUZZ_TARGET` picks `http` (the default) or `http-wire`.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    contexts = FuzzContexts.loadOrExit(FuzzTarget.named("request")!)
    // NIO's blocking pool (which serves blob ranges) starts once per process and runs until it ends:
    // started here, its threads and queue are not taken for the leak of the first input to use it.
    _ = NIOThreadPool.singleton
    switch getenv("DIALOGUE_FUZZ_TARGET").map({ String(cString: $0) }) {
    case nil, "http": isWire = false
    case "http-wire": isWire = true
    case let other?:
        StandardError.print("DialogueHTTPFuzzer fuzzes http or http-wire, not \(other)")
        exit(2)
    }
    return 0
}

/// One request (`http`) or one connection's bytes (`http-wire`) through the whole HTTP application;
/// every violated property traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: data, count: count))
    if isWire { WireChecks.check(input, contexts: contexts!) } else { HTTPChecks.check(input, contexts: contexts!) }
    return 0
}
