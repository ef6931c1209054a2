/// The resource limits that a decoder applies (**[enc-limits]**).
///
/// `Spec/encoding.md` fixes the defaults, and every implementation MUST apply
/// them unless a later chapter sets a tighter limit for one kind of object.
/// Limits can therefore only be tightened: values above the defaults, or
/// below 1, are clamped into range by the initializer.
///
/// | limit | default |
/// |---|---|
/// | ``maximumDepth`` | 16 |
/// | ``maximumItemCount`` | 262,144 |
/// | ``maximumEncodedSize`` | 16 MiB (2^24 bytes) |
public struct CBORLimits: Sendable, Hashable {
    /// The deepest nesting allowed. The top-level data item has depth 1; the
    /// elements of an array, and the keys and values of a map, have the depth
    /// of their container plus one. A data item deeper than this is rejected
    /// with ``CBORError/Code/tooDeep``.
    public let maximumDepth: Int

    /// The largest number of data items in one encoding, counting every item:
    /// the top-level item, array elements, map keys and map values. More is
    /// rejected with ``CBORError/Code/tooLarge``.
    public let maximumItemCount: Int

    /// The largest encoding accepted, in bytes. A longer input is rejected
    /// with ``CBORError/Code/tooLarge`` before any of it is parsed.
    public let maximumEncodedSize: Int

    /// The limits of `Spec/encoding.md`: depth 16, 262,144 items, 16 MiB.
    public static let `default` = CBORLimits(
        uncheckedDepth: 16,
        itemCount: 262_144,
        encodedSize: 1 << 24
    )

    /// Creates limits that are at most as generous as ``default``.
    ///
    /// Each value is clamped to the range 1 through the default.
    ///
    /// - Parameters:
    ///   - maximumDepth: The deepest nesting allowed (at most 16).
    ///   - maximumItemCount: The most data items allowed (at most 262,144).
    ///   - maximumEncodedSize: The longest encoding allowed in bytes (at most 2^24).
    public init(
        maximumDepth: Int = CBORLimits.default.maximumDepth,
        maximumItemCount: Int = CBORLimits.default.maximumItemCount,
        maximumEncodedSize: Int = CBORLimits.default.maximumEncodedSize
    ) {
        let base = CBORLimits.default
        self.maximumDepth = min(max(maximumDepth, 1), base.maximumDepth)
        self.maximumItemCount = min(max(maximumItemCount, 1), base.maximumItemCount)
        self.maximumEncodedSize = min(max(maximumEncodedSize, 1), base.maximumEncodedSize)
    }

    private init(uncheckedDepth: Int, itemCount: Int, encodedSize: Int) {
        self.maximumDepth = uncheckedDepth
        self.maximumItemCount = itemCount
        self.maximumEncodedSize = encodedSize
    }
}
