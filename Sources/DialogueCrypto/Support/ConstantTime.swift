internal import CSodium

/// Comparisons whose running time does not depend on the bytes compared.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, compared with `sodium_memcmp`.
    ///
    /// The lengths are compared first and are not treated as secret: two sequences of different
    /// lengths are unequal at once. For equal lengths, the time taken depends only on the length,
    /// not on where the first difference is (Spec: primitives.md#prim-constant-time).
    ///
    /// - Returns: `true` if both have the same length and the same bytes.
    public static func equals(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        withContiguousBytes(of: lhs) { left in
            withContiguousBytes(of: rhs) { right in
                guard left.count == right.count else {
                    return false
                }
                return left.count == 0 || sodium_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
