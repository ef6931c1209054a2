// Internal helpers that hand byte sequences to libsodium without copying them when they are
// already contiguous, and that never pass a nil pointer: an empty Swift array's buffer has a nil
// base address, and several libsodium functions are declared `nonnull`.

/// Runs `body` with `bytes` as one contiguous buffer whose base address is never nil.
///
/// Contiguous sequences (`Array`, `ArraySlice`, `ContiguousArray`, `UnsafeRawBufferPointer`,
/// Foundation's `Data`, ``SecureBytes``) are passed without a copy; any other sequence is first
/// copied into an array.
func withContiguousBytes<R>(of bytes: some Sequence<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let result = bytes.withContiguousStorageIfAvailable({ withNonNilBase(UnsafeRawBufferPointer($0), body) }) {
        return result
    }
    let copy = Array(bytes)
    return copy.withUnsafeBytes { withNonNilBase($0, body) }
}

/// `bytes` as an array, copied in one piece when they are contiguous.
///
/// Called from code that is generic over the byte collection and not specialized for the
/// caller's type (a public initializer used from another module), `Array(bytes)` copies byte by
/// byte through the protocol's witnesses; a manifest decodes thousands of keys and identifiers.
package func contiguousArray(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
}

/// Runs `body` with `buffer`, or with an empty buffer at a valid address if `buffer` has none.
func withNonNilBase<R>(_ buffer: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if buffer.baseAddress != nil {
        return body(buffer)
    }
    var placeholder: UInt8 = 0
    return withUnsafeBytes(of: &placeholder) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) }
}

/// Runs `body` with `buffer`, or with an empty buffer at a valid address if `buffer` has none.
func withNonNilBase<R>(
    _ buffer: UnsafeMutableRawBufferPointer,
    _ body: (UnsafeMutableRawBufferPointer) -> R
) -> R {
    if buffer.baseAddress != nil {
        return body(buffer)
    }
    var placeholder: UInt8 = 0
    return withUnsafeMutableBytes(of: &placeholder) {
        body(UnsafeMutableRawBufferPointer(start: $0.baseAddress, count: 0))
    }
}

extension UnsafeRawBufferPointer {
    /// The start of the buffer as libsodium's `const unsigned char *`; only call it on a buffer
    /// that went through `withNonNilBase`.
    var bytes: UnsafePointer<UInt8> {
        baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    /// Whether the two buffers share any byte.
    func overlaps(_ other: UnsafeMutableRawBufferPointer) -> Bool {
        guard let start = baseAddress, let otherStart = other.baseAddress, count > 0, other.count > 0 else {
            return false
        }
        return start < UnsafeRawPointer(otherStart) + other.count && UnsafeRawPointer(otherStart) < start + count
    }
}

extension UnsafeMutableRawBufferPointer {
    /// The start of the buffer as libsodium's `unsigned char *`; only call it on a buffer that
    /// went through `withNonNilBase`.
    var bytes: UnsafeMutablePointer<UInt8> {
        baseAddress!.assumingMemoryBound(to: UInt8.self)
    }
}
