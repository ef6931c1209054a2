import ArgumentParser

@main
struct Dialogue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogue",
        abstract: "Dialogue: signed, encrypted, content-addressed Internet mail."
    )
}
