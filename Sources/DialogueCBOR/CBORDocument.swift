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

/// A growable table of ``CBORItem``s in manually managed memory.
///
/// Appending is a store and an increment; with `Array` the uniqueness and
/// capacity checks cost more than parsing a small item. Items are trivial
/// values, so no deinitialization is needed. The table is owned first by the
/// parser, then by a ``CBORDocument``, which frees it; a failed parse frees
/// it through ``deallocate()``.
struct CBORItemTable {
    private(set) var base: UnsafeMutablePointer<CBORItem>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        self.base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ item: CBORItem) {
        if self.count == self.capacity { self.grow() }
        (self.base + self.count).initialize(to: item)
        self.count &+= 1
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = self.capacity * 2
        let newBase = UnsafeMutablePointer<CBORItem>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }

    /// Sets the end offset and the next-sibling index of the container at
    /// `index` once its children are parsed.
    @inline(__always)
    func close(_ index: Int, end: Int, next: Int) {
        self.base[index].end = UInt32(truncatingIfNeeded: end)
        self.base[index].next = UInt32(truncatingIfNeeded: next)
    }

    func deallocate() {
        self.base.deallocate()
    }
}

/// The result of one successful decode: the input, kept without copying, and
/// the table of items that ``CBORNode`` values point into.
///
/// Immutable after initialization, hence `@unchecked Sendable`: the item
/// table is written only by the parser before the document exists.
final class CBORDocument: @unchecked Sendable {
    let input: ArraySlice<UInt8>
    private let table: UnsafeMutablePointer<CBORItem>
    let count: Int

    /// Takes ownership of `items`.
    init(input: ArraySlice<UInt8>, items: CBORItemTable) {
        self.input = input
        self.table = items.base
        self.count = items.count
    }

    deinit {
        self.table.deallocate()
    }

    /// The item at `index`; every ``CBORNode`` holds a valid index.
    @inline(__always)
    subscript(index: Int) -> CBORItem {
        precondition(index >= 0 && index < self.count)
        return self.table[index]
    }

    /// The bytes from `start` to `end` (offsets relative to the input start),
    /// as a slice of the input.
    @inline(__always)
    func slice(_ start: UInt32, _ end: UInt32) -> ArraySlice<UInt8> {
        let base = self.input.startIndex
        return self.input[(base + Int(start))..<(base + Int(end))]
    }
}
