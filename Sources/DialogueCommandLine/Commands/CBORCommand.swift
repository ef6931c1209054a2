import ArgumentParser
import DialogueCBOR
import DialogueConformance

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
                // People paste hex with spaces and line breaks; the digits are what count.
                let digits = input.filter { ![0x20, 0x0a, 0x0d, 0x09].contains($0) }
                guard let decoded = Hex.decode(String(decoding: digits, as: UTF8.self)) else {
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
