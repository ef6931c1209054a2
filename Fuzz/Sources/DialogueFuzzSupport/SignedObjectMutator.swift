internal import DialogueCBOR

/// The structure-aware mutator of the signed objects: decodes the CBOR (and every byte string
/// that holds Dialogue CBOR, such as a signed body or a card inside a manifest), changes one
/// field, encodes canonically, and signs every body that a fixture key had signed again with
/// that key (``FixtureKeys``), so that the mutated object passes the signature check and reaches
/// the rules behind it. Random bytes almost never get that far.
///
/// It re-signs only the signatures whose key it knows: those of the inputs given to
/// ``learn(_:)`` (the seeds, the corpus) and those it made itself.
public enum SignedObjectMutator {
    /// A CBOR item in which nested Dialogue CBOR and signatures are visible.
    indirect enum Tree {
        /// An integer, text, boolean, null, or a byte string that is not CBOR.
        case leaf(CBORValue)
        /// A byte string that holds a canonical map or array.
        case embedded(Tree)
        case array([Tree])
        case map([(key: Tree, value: Tree)])
        /// A 64-byte signature of the body of the array it is in, and who made it.
        case signature([UInt8], FixtureKeys.Signer?)
    }

    /// `input` with one field changed and its signatures renewed, or `nil` when the input is not
    /// Dialogue CBOR or the change cannot be encoded (the caller then mutates bytes).
    public static func mutate(_ input: [UInt8], random: inout FuzzRandom) -> [UInt8]? {
        guard let node = try? CBORDecoder().decode(input) else { return nil }
        var tree = Tree(node.value, depth: 0, searching: false)
        var remaining = random.below(tree.count)
        tree.mutate(at: &remaining, random: &random)
        return try? CBOREncoder().encode(tree.value)
    }

    /// Finds the fixture key and context of every signature in `input` (a full search, once per
    /// signature), so that ``mutate(_:random:)`` can sign its mutants again.
    public static func learn(_ input: [UInt8]) {
        guard let node = try? CBORDecoder().decode(input) else { return }
        _ = Tree(node.value, depth: 0, searching: true)
    }

    /// Learns from the field of every file in `directory` (without the byte that picks one of
    /// `contexts`); the number of files.
    @discardableResult
    public static func learn(directory: String, contexts: FuzzContexts) -> Int {
        let names = FileBytes.list(directory)
        for name in names {
            if let bytes = FileBytes.read(directory + "/" + name), let field = contexts.split(bytes)?.field {
                learn(Array(field))
            }
        }
        return names.count
    }

    /// Mutates `count` times in a row, for the differential harness.
    public static func mutate(_ input: [UInt8], times count: Int, random: inout FuzzRandom) -> [UInt8]? {
        var bytes = input
        for _ in 0..<max(1, count) {
            guard let next = mutate(bytes, random: &random) else { return nil }
            bytes = next
        }
        return bytes
    }
}

extension SignedObjectMutator.Tree {
    typealias Tree = SignedObjectMutator.Tree

    /// The tree of `value`; each signature's key is searched for when `searching`, or else looked
    /// up among those already known.
    init(_ value: CBORValue, depth: Int, searching: Bool) {
        switch value {
        case .bytes(let bytes) where depth < 6 && bytes.count > 1 && (bytes[0] >> 5 == 4 || bytes[0] >> 5 == 5):
            if let inner = try? CBORDecoder().decode(bytes) {
                self = .embedded(Tree(inner.value, depth: depth + 1, searching: searching))
            } else {
                self = .leaf(value)
            }
        case .array(let elements):
            var trees = elements.map { Tree($0, depth: depth, searching: searching) }
            // A signed object: [bstr body, signature...] or [bstr body, [signature...]].
            if case .some(.embedded) = trees.first, case .bytes(let body) = elements[0], trees.count > 1 {
                for index in 1..<trees.count {
                    trees[index] =
                        Tree.signatures(in: elements[index], body: body, searching: searching) ?? trees[index]
                }
            }
            self = .array(trees)
        case .map(let entries):
            self = .map(
                entries.map {
                    (
                        Tree($0.key, depth: depth, searching: searching),
                        Tree($0.value, depth: depth, searching: searching)
                    )
                })
        default:
            self = .leaf(value)
        }
    }

    private static func signatures(in value: CBORValue, body: [UInt8], searching: Bool) -> Tree? {
        switch value {
        case .bytes(let bytes) where bytes.count == 64:
            let signer = searching ? FixtureKeys.search(bytes, body: body) : FixtureKeys.signer(of: bytes)
            return .signature(bytes, signer)
        case .array(let list) where !list.isEmpty:
            var trees: [Tree] = []
            for element in list {
                guard let tree = signatures(in: element, body: body, searching: searching), case .signature = tree
                else { return nil }
                trees.append(tree)
            }
            return .array(trees)
        default:
            return nil
        }
    }

    /// The number of nodes, each a place to mutate.
    var count: Int {
        switch self {
        case .leaf, .signature: 1
        case .embedded(let inner): 1 + inner.count
        case .array(let elements): elements.reduce(1) { $0 + $1.count }
        case .map(let entries): entries.reduce(1) { $0 + $1.key.count + $1.value.count }
        }
    }

    /// The value, every signature whose signer is known made again over the body as it is now.
    var value: CBORValue {
        switch self {
        case .leaf(let value): return value
        case .signature(let bytes, _): return .bytes(bytes)
        case .embedded(let inner): return .bytes((try? CBOREncoder().encode(inner.value)) ?? [])
        case .map(let entries):
            return .map(entries.map { CBORValue.MapEntry(key: $0.key.value, value: $0.value.value) })
        case .array(let elements):
            guard case .some(.embedded) = elements.first, case .bytes(let body) = elements[0].value else {
                return .array(elements.map(\.value))
            }
            func renewed(_ tree: Tree) -> CBORValue {
                switch tree {
                case .signature(_, let signer?): return .bytes(FixtureKeys.sign(body, as: signer))
                case .array(let list): return .array(list.map(renewed))
                default: return tree.value
                }
            }
            return .array([.bytes(body)] + elements.dropFirst().map(renewed))
        }
    }

    /// Mutates the node numbered `index` in pre-order.
    mutating func mutate(at index: inout Int, random: inout FuzzRandom) {
        if index == 0 {
            index = -1
            mutateHere(random: &random)
            return
        }
        index -= 1
        switch self {
        case .leaf, .signature: return
        case .embedded(var inner):
            inner.mutate(at: &index, random: &random)
            self = .embedded(inner)
        case .array(var elements):
            for position in elements.indices where index >= 0 {
                elements[position].mutate(at: &index, random: &random)
            }
            self = .array(elements)
        case .map(var entries):
            for position in entries.indices where index >= 0 {
                entries[position].key.mutate(at: &index, random: &random)
                if index >= 0 { entries[position].value.mutate(at: &index, random: &random) }
            }
            self = .map(entries)
        }
    }

    /// Values near the limits of the format, and times near the vectors' clock.
    private static let interesting: [UInt64] = [
        0, 1, 2, 3, 15, 16, 23, 24, 31, 32, 33, 63, 64, 65, 255, 256, 1023, 1024, 65535, 65536, 1 << 20,
        UInt64(UInt32.max), UInt64(Int64.max), UInt64.max, 1_700_000_000, 1_760_000_000, 1_760_000_000 - 1,
        1_760_000_000 + 1, 1_760_000_000 + 600, 1_760_000_000 - 600, 1_760_000_000 + 31_536_000,
    ]

    private static let texts = [
        "", "alice@example.org", "bob@example.net", "Alice@Example.org", "alice@example.org.", "a@b", "@", "x",
        "https://mail.example.org/dialogue/v1", "http://mail.example.org/dialogue/v1", "text/plain", "ä",
        "\u{0}", "\u{200b}", String(repeating: "a", count: 300), "key compromised",
    ]

    private mutating func mutateHere(random: inout FuzzRandom) {
        switch self {
        case .leaf(let value): self = .leaf(Tree.mutated(value, random: &random))
        case .signature(var bytes, let signer):
            if random.oneIn(2) || signer == nil {
                bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
                self = .signature(bytes, nil)
            } else {
                // The right body signed by another fixture key, or under another context.
                let other = FixtureKeys.Signer(
                    key: random.oneIn(2) ? random.below(FixtureKeys.keys.count) : signer!.key,
                    context: random.oneIn(2) ? random.below(FixtureKeys.contexts.count) : signer!.context)
                self = .signature(bytes, other)
            }
        case .embedded(let inner):
            // Break the nesting: the body's bytes with one byte changed, or cut.
            var bytes = (try? CBOREncoder().encode(inner.value)) ?? []
            if !bytes.isEmpty {
                if random.oneIn(2) {
                    bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
                } else {
                    bytes.removeLast(1 + random.below(bytes.count))
                }
            }
            self = .leaf(.bytes(bytes))
        case .array(var elements):
            switch random.below(4) {
            case 0 where !elements.isEmpty: elements.remove(at: random.below(elements.count))
            case 1 where !elements.isEmpty:
                elements.insert(elements[random.below(elements.count)], at: random.below(elements.count + 1))
            case 2 where elements.count > 1: elements.swapAt(random.below(elements.count), random.below(elements.count))
            default: elements.append(.leaf(.unsigned(UInt64(random.below(4)))))
            }
            self = .array(elements)
        case .map(var entries):
            switch random.below(5) {
            case 0 where !entries.isEmpty: entries.remove(at: random.below(entries.count))
            case 1 where !entries.isEmpty:
                // An unknown key, or a known one, with another entry's value.
                let key = Tree.leaf(.unsigned(UInt64(random.below(20))))
                entries.append((key, entries[random.below(entries.count)].value))
            case 2 where entries.count > 1:
                let a = random.below(entries.count)
                let b = random.below(entries.count)
                (entries[a].value, entries[b].value) = (entries[b].value, entries[a].value)
            case 3 where !entries.isEmpty:
                let position = random.below(entries.count)
                entries[position].key = .leaf(Tree.mutated(entries[position].key.value, random: &random))
            default:
                entries.append((.leaf(.text("x")), .leaf(.unsigned(1))))
            }
            self = .map(entries)
        }
    }

    private static func mutated(_ value: CBORValue, random: inout FuzzRandom) -> CBORValue {
        if random.oneIn(8) {
            // Another type altogether.
            let choices: [CBORValue] = [
                .unsigned(1), .negative(0), .text("1"), .bytes([1]), .array([]), .map([]), .null, .bool(true),
            ]
            return choices[random.below(choices.count)]
        }
        switch value {
        case .unsigned(let n):
            switch random.below(4) {
            case 0: return .unsigned(n &+ 1)
            case 1: return .unsigned(n &- 1)
            case 2: return .negative(n)
            default: return .unsigned(interesting[random.below(interesting.count)])
            }
        case .negative(let n):
            return random.oneIn(2) ? .unsigned(n) : .negative(interesting[random.below(interesting.count)])
        case .text(let text):
            var scalars = Array(text.unicodeScalars)
            switch random.below(5) {
            case 0 where !scalars.isEmpty: scalars.remove(at: random.below(scalars.count))
            case 1:
                scalars.insert(
                    ["A", ".", "@", "-", "\u{e9}", " ", "\u{fffd}"][random.below(7)],
                    at: random.below(scalars.count + 1))
            case 2: return .text(text.uppercased())
            case 3: return .text(text + text)
            default: return .text(texts[random.below(texts.count)])
            }
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars)
            return .text(String(result))
        case .bytes(var bytes):
            switch random.below(4) {
            case 0 where !bytes.isEmpty: bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty: bytes.removeLast()
            case 2: bytes.append(UInt8(random.below(256)))
            default:
                bytes = [UInt8](
                    repeating: random.oneIn(2) ? 0 : 0xff, count: [0, 1, 16, 31, 32, 33, 64][random.below(7)])
            }
            return .bytes(bytes)
        case .bool(let flag): return .bool(!flag)
        default: return .unsigned(interesting[random.below(interesting.count)])
        }
    }
}
