/// A UTF-8 validator for text strings (**[enc-utf8]**).
///
/// It accepts exactly the well-formed UTF-8 of RFC 3629 section 4 (Unicode
/// table 3-7): no overlong forms (`C0`, `C1`, `E0 80..9F`, `F0 80..8F`), no
/// surrogates (`ED A0..BF`), nothing above U+10FFFF (`F4 90..`, `F5..FF`), no
/// stray continuation bytes and no sequence cut short by the end of the
/// string. Runs of ASCII are checked eight bytes at a time.
enum UTF8Validation {
    /// Returns the offset (from `start`) of the first byte of the first
    /// ill-formed sequence, or `nil` when all `count` bytes are valid UTF-8.
    static func firstInvalidOffset(_ start: UnsafePointer<UInt8>, count: Int) -> Int? {
        var i = 0
        while i < count {
            // ASCII fast path: eight bytes at once while they all are < 0x80.
            if i &+ 8 <= count {
                let word = UnsafeRawPointer(start + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i &+= 8
                    continue
                }
            }
            let b0 = start[i]
            if b0 < 0x80 {
                i &+= 1
                continue
            }
            if b0 < 0xc2 {
                // 80..BF: a continuation byte without a lead byte;
                // C0, C1: always an overlong two-byte form.
                return i
            }
            if b0 < 0xe0 {
                guard i &+ 1 < count, start[i &+ 1] & 0xc0 == 0x80 else { return i }
                i &+= 2
                continue
            }
            if b0 < 0xf0 {
                guard i &+ 2 < count else { return i }
                let b1 = start[i &+ 1]
                let b2 = start[i &+ 2]
                // E0 needs A0..BF (no overlong); ED needs 80..9F (no surrogate).
                let low: UInt8 = b0 == 0xe0 ? 0xa0 : 0x80
                let high: UInt8 = b0 == 0xed ? 0x9f : 0xbf
                guard b1 >= low, b1 <= high, b2 & 0xc0 == 0x80 else { return i }
                i &+= 3
                continue
            }
            if b0 < 0xf5 {
                guard i &+ 3 < count else { return i }
                let b1 = start[i &+ 1]
                let b2 = start[i &+ 2]
                let b3 = start[i &+ 3]
                // F0 needs 90..BF (no overlong); F4 needs 80..8F (<= U+10FFFF).
                let low: UInt8 = b0 == 0xf0 ? 0x90 : 0x80
                let high: UInt8 = b0 == 0xf4 ? 0x8f : 0xbf
                guard b1 >= low, b1 <= high, b2 & 0xc0 == 0x80, b3 & 0xc0 == 0x80 else { return i }
                i &+= 4
                continue
            }
            // F5..FF never appear in UTF-8.
            return i
        }
        return nil
    }
}
