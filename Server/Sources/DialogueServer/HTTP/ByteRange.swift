/// A single `Range: bytes=…` of a blob (Spec: [dlv-blob-serve]; RFC 9110 section 14.1.2).
public enum ByteRange: Hashable, Sendable {
    /// No range, or one the server ignores (several ranges, another unit, a syntax error): `200`.
    case whole
    /// The satisfiable range `lower...upper`: `206`.
    case part(ClosedRange<Int>)
    /// A range outside the blob: `416`.
    case unsatisfiable

    /// The range a `Range` field asks of a blob of `size` bytes.
    public init(field: String?, size: Int) {
        guard let field, field.hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = field.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        func number(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return nil
            }
            return Int(text)
        }
        if first.isEmpty {
            // A suffix: the last N bytes.
            guard let count = number(last) else {
                self = .whole
                return
            }
            guard count > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .part(max(0, size - count)...(size - 1))
            return
        }
        guard let lower = number(first) else {
            self = .whole
            return
        }
        let upper: Int
        if last.isEmpty {
            upper = size - 1
        } else {
            guard let value = number(last), value >= lower else {
                self = .whole
                return
            }
            upper = min(value, size - 1)
        }
        guard lower < size else {
            self = .unsatisfiable
            return
        }
        self = .part(lower...upper)
    }
}
