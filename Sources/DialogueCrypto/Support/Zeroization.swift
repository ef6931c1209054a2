internal import CSodium

/// Overwrites the bytes of a temporary array that held secret material (`sodium_memzero`).
func zeroize(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress {
            sodium_memzero(base, buffer.count)
        }
    }
}
