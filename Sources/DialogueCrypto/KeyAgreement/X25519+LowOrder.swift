extension X25519.PublicKey {
    /// The encodings, top bit cleared, of the points of small order and their non-canonical
    /// aliases below 2^255: 0, 1, the two points of order 8, p − 1, p and p + 1. These are exactly
    /// the public keys for which X25519 gives the all-zero output with every secret key (libsodium
    /// keeps the same list; the Wycheproof x25519 file confirms it case by case).
    private static let lowOrderEncodings: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ].map { hex in
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// Whether this key is a point of low order, for which ``X25519/PrivateKey/sharedSecret(with:)``
    /// always fails with ``CryptoError/Code/weakPublicKey`` (Spec: primitives.md, [card-weak-key]).
    ///
    /// A table look-up, about a thousand times cheaper than the scalar multiplication that would
    /// tell the same: cards are checked on every message they arrive with.
    public var isLowOrder: Bool {
        var masked = rawRepresentation
        masked[31] &= 0x7f
        return Self.lowOrderEncodings.contains(masked)
    }
}
