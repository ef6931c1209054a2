/// The unpadded base64url of RFC 4648 section 5, in which an inbox listing carries each notification's
/// exact bytes (Spec: delivery.md#dlv-ep-inbox): ``StrictBase64`` with `-` and `_` for `+` and `/`
/// and no padding, read as strictly (one spelling per byte string).
public enum UnpaddedBase64URL {
    /// The unpadded base64url of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(
            StrictBase64.encode(bytes).compactMap { character -> Character? in
                switch character {
                case "+": return "-"
                case "/": return "_"
                case "=": return nil
                default: return character
                }
            })
    }

    /// The bytes of `text`, or `nil` unless it is the one unpadded base64url spelling of them.
    public static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/"), !text.contains("="), text.utf8.count % 4 != 1 else {
            return nil
        }
        var standard = String(
            text.map { character -> Character in
                switch character {
                case "-": return "+"
                case "_": return "/"
                default: return character
                }
            })
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return StrictBase64.decode(standard)
    }
}
