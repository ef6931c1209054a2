import ArgumentParser
import DialogueCBOR

/// `dialogue cbor`: check and encode Dialogue's deterministic CBOR (Spec: encoding.md).
struct CBORCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbor",
        abstract: "Check and encode Dialogue's deterministic CBOR.",
        subcommands: [Check.self, Encode.self]
    )

    /// `dialogue cbor check`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one encoded item on standard input; print it in diagnostic notation if it is valid.",
            discussion: """
                Exits 0 and prints diagnostic notation when the input is exactly one valid Dialogue CBOR item. \
                Otherwise prints 'error: <code>: <reason>' on standard error and exits 65.
                """
        )

        @Flag(name: .long, help: "Read hexadecimal text (white space ignored) instead of raw bytes.")
        var hex = false

        func run() throws {
            var input = try Files.read(nil)
            if hex {
                guard let decoded = Hex.decode(input) else {
                    throw fail("invalid-hex", "standard input is not an even number of hexadecimal digits")
                }
                input = decoded
            }
            do {
                let node = try CBORDecoder().decode(input)
                print(node.value.diagnosticDescription)
            } catch {
                throw fail(error.code.name, error.reason)
            }
        }
    }

    /// `dialogue cbor encode`.
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode diagnostic notation (the Dialogue subset) and print canonical hexadecimal.",
            discussion: "Example: dialogue cbor encode '{1: h'00ff', \"a\": [1, -2, true, null]}'"
        )

        @Argument(help: "Diagnostic notation; standard input when omitted.")
        var notation: String?

        func run() throws {
            let text = try notation ?? String(decoding: Files.read(nil), as: UTF8.self)
            do {
                let value = try CBORValue(diagnostic: text)
                print(Hex.encode(try CBOREncoder().encode(value)))
            } catch {
                throw fail(error.code.name, error.reason)
            }
        }
    }
}

/// Lower-case hexadecimal.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output = [UInt8]()
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes hexadecimal digits, ignoring ASCII white space; `nil` for anything else.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var output = [UInt8]()
        var high: UInt8?
        for character in text {
            if character == 0x20 || character == 0x0a || character == 0x0d || character == 0x09 { continue }
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                output.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? output : nil
    }
}
