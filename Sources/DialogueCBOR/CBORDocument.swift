/// One decoded data item in the flat table of a ``CBORDocument``.
///
/// Items are stored in the order their heads appear in the input (pre-order),
/// so the children of a container follow it directly, and ``next`` skips a
/// whole subtree.
struct CBORItem: Sendable {
    /// The integer, the length in bytes of a string, the number of elements
    /// of an array or of entries of a map, or 0/1 for a Boolean.
    var argument: UInt64
    /// Offset of the item's first byte, relative to the start of the input.
    var start: UInt32
    /// Offset just past the item's last byte (for containers: past the last
    /// byte of the last child).
    var end: UInt32
    /// Index of the first item after this item's subtree.
    var next: UInt32
    /// Length of the head (1, 2, 3, 5 or 9).
    var headLength: UInt8
    /// Depth of the item; the top-level item has depth 1.
    var depth: UInt8
    /// The item's type.
    var type: CBORType
}

/// The result of one successful decode: the input, kept without copying, and
/// the table of items that ``CBORNode`` values point into.
final class CBORDocument: Sendable {
    let input: ArraySlice<UInt8>
    let items: [CBORItem]

    init(input: ArraySlice<UInt8>, items: [CBORItem]) {
        self.input = input
        self.items = items
    }

    /// The bytes from `start` to `end` (offsets relative to the input start),
    /// as a slice of the input.
    @inline(__always)
    func slice(_ start: UInt32, _ end: UInt32) -> ArraySlice<UInt8> {
        let base = self.input.startIndex
        return self.input[(base + Int(start))..<(base + Int(end))]
    }
}
