public import DialogueMessages

/// The look-alike skeleton of an address: characters people confuse are mapped to one
/// representative, so that `paypa1@example.com` and `paypal@example.com` have the same
/// skeleton (Spec: [trust-look-alike]).
///
/// Applied to the canonical (lower-case) address, left to right:
/// 1. at each position, the pairs `rn` → `m`, `vv` → `w`, `cl` → `d` are replaced if they start there;
/// 2. otherwise the character is mapped: `0` → `o`, `1` → `l`, `i` → `l`, `5` → `s`, `3` → `e`,
///    `4` → `a`, `6` → `b`, `8` → `b`, `9` → `g`, `2` → `z`, `7` → `t`, `_` → `-`, `.` → `-`;
///    every other character is kept.
public enum AddressSkeleton {
    /// The multi-character sequences, replaced before single characters.
    static let sequences: [(String, String)] = [("rn", "m"), ("vv", "w"), ("cl", "d")]
    /// The single-character map.
    static let characters: [Character: Character] = [
        "0": "o", "1": "l", "i": "l", "5": "s", "3": "e", "4": "a", "6": "b", "8": "b", "9": "g", "2": "z",
        "7": "t", "_": "-", ".": "-",
    ]

    /// The skeleton of `address`.
    public static func skeleton(of address: Address) -> String {
        let input = Array(address.text)
        var output = ""
        output.reserveCapacity(input.count)
        var index = 0
        scan: while index < input.count {
            if index + 1 < input.count {
                for (sequence, replacement) in sequences
                where input[index] == sequence.first! && input[index + 1] == sequence.last! {
                    output += replacement
                    index += 2
                    continue scan
                }
            }
            output.append(characters[input[index]] ?? input[index])
            index += 1
        }
        return output
    }

    /// Whether two different addresses look alike.
    public static func lookAlike(_ a: Address, _ b: Address) -> Bool {
        a != b && skeleton(of: a) == skeleton(of: b)
    }
}
