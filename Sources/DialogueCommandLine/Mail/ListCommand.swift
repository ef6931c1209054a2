import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation

/// `dialogue list`: mailing lists (Spec: lists.md). The owner's commands run in the list account's
/// home (`--home` of the account `dev@lists.example.org`, whose identity the list agent holds); the
/// member's commands in the member's own home.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Mailing lists: run one (create, add, remove, held, approve) or take part.",
        discussion: """
            A list is an account of its server like any user. Its owner runs it from the list account's own \
            home: 'dialogue account import dev@lists.example.org …' there, then 'dialogue list create --owner \
            you@example.org'. Members post and read from their own homes with 'dialogue list post', 'follow' \
            and 'read'. Posts are sealed to the list's current epoch key; the owner sends epoch keys to \
            members as ordinary Dialogue mail, and the key rolls when a member leaves or is removed.
            """,
        subcommands: [
            ListCreateCommand.self, ListPolicyCommand.self, ListAddCommand.self, ListRemoveCommand.self,
            ListRollCommand.self,
            ListMembersCommand.self,
            ListHeldCommand.self, ListApproveCommand.self, ListPostCommand.self, ListFollowCommand.self,
            ListReadCommand.self,
        ])

    /// The list agent of the account at `location` (the list's own account).
    static func withAgent<T>(_ location: AccountLocation, _ body: (ListAgent) async throws -> T) async throws -> T {
        try await withClient(location) { client in try await body(ListAgent(client: client)) }
    }

    /// One line of a post: position, state, author with its verdict, subject.
    static func line(_ post: ListPostSummary) -> String {
        let subject = post.state == "opened" ? TerminalText.line(post.subject ?? "") : "(\(post.state))"
        let verdict = post.verdict.map { "  [\(FirstContactText.label($0))]" } ?? ""
        return "#\(post.position) \(TerminalText.line(post.author.text))\(verdict)  \(subject)  epoch \(post.epoch)  "
            + "\(post.size) bytes"
    }
}

/// `dialogue list create`: create the list of this account on its server.
struct ListCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create the list of this (list) account on its server.",
        discussion: """
            Signs the list's descriptor with the account's identity and sends it (POST /lists). The list is \
            encrypted unless you give --public. --posting: members (the default: only members post), \
            moderated (every post waits for 'dialogue list approve'), open (anyone posts). --history: archive \
            (the default: a member who joins later reads everything) or joining (from its joining on).
            """)

    @Option(name: .long, help: "The address of the person who runs the list.") var owner: String
    @Option(name: .long, help: "Who may post: members, moderated or open.") var posting: String = "members"
    @Option(name: .long, help: "What a later member reads: archive or joining.") var history: String = "archive"
    @Flag(name: .long, help: "A public list: posts readable by anyone (not encrypted).") var `public` = false
    @OptionGroup var location: AccountLocation

    func validate() throws {
        guard ["members", "moderated", "open"].contains(posting) else {
            throw ValidationError("--posting is members, moderated or open")
        }
        guard ["archive", "joining"].contains(history) else { throw ValidationError("--history is archive or joining") }
    }

    func run() async throws {
        let owner = try MailText.addresses([owner])[0]
        let posting: ListPosting = posting == "open" ? .open : posting == "moderated" ? .moderated : .members
        let descriptor = try await ListCommand.withAgent(location) { agent in
            try await agent.create(
                owner: owner, mode: `public` ? .public : .encrypted, posting: posting,
                history: history == "joining" ? .joining : .archive)
        }
        print("created     \(descriptor.list)  \(`public` ? "public" : "encrypted"), posting \(posting)")
    }
}

/// `dialogue list policy`: change who may post or what a later member reads.
struct ListPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Change who may post to the list, or what a member who joins later reads.",
        discussion: """
            Signs the list's next descriptor (the same address, key and mode) and sends it (PUT \
            /lists/{list}/policy); the server appends it to the index, and members' clients apply it. What is \
            not given stays as it is.
            """)

    @Option(name: .long, help: "Who may post: members, moderated or open.") var posting: String?
    @Option(name: .long, help: "What a later member reads: archive or joining.") var history: String?
    @Option(name: .long, help: "The address of the person who runs the list.") var owner: String?
    @OptionGroup var location: AccountLocation

    func validate() throws {
        guard posting != nil || history != nil || owner != nil else {
            throw ValidationError("give --posting, --history or --owner")
        }
        if let posting, !["members", "moderated", "open"].contains(posting) {
            throw ValidationError("--posting is members, moderated or open")
        }
        if let history, !["archive", "joining"].contains(history) {
            throw ValidationError("--history is archive or joining")
        }
    }

    func run() async throws {
        let owner = try owner.map { try MailText.addresses([$0])[0] }
        let posting = posting.map { $0 == "open" ? ListPosting.open : $0 == "moderated" ? .moderated : .members }
        let history = history.map { $0 == "joining" ? ListHistory.joining : .archive }
        let descriptor = try await ListCommand.withAgent(location) { agent in
            try await agent.setPolicy(posting: posting, history: history, owner: owner)
        }
        print(
            "policy      \(descriptor.list)  revision \(descriptor.revision), posting \(descriptor.posting.name), "
                + "history \(descriptor.history.name), owner \(descriptor.owner)")
    }
}

/// `dialogue list add`: add a member.
struct ListAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a member: a signed 'joined' event, and the epoch keys it may have, by mail.")

    @Argument(help: "The member's address.") var member: String
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let member = try MailText.addresses([member])[0]
        let event = try await ListCommand.withAgent(location) { agent in try await agent.add(member) }
        print("joined      \(member)  event \(event.serial), epoch \(event.epoch)")
    }
}

/// `dialogue list remove`: remove a member; the key rolls.
struct ListRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a member: the epoch key rolls, and only the remaining members receive the new one.")

    @Argument(help: "The member's address.") var member: String
    @Flag(name: .long, help: "The member asked to leave (a 'left' event instead of 'removed').") var left = false
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let member = try MailText.addresses([member])[0]
        let event = try await ListCommand.withAgent(location) { agent in try await agent.remove(member, left: left) }
        print("\(left ? "left" : "removed")     \(member)  event \(event.serial), epoch \(event.epoch)")
    }
}

/// `dialogue list roll`: roll the epoch key without a membership change.
struct ListRollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roll",
        abstract: "Roll the epoch key (e.g. after a member lost a device): every member receives the new one.")

    @OptionGroup var location: AccountLocation

    func run() async throws {
        let event = try await ListCommand.withAgent(location) { agent in try await agent.rollKey() }
        print("rolled      event \(event.serial), epoch \(event.epoch)")
    }
}

/// `dialogue list members`: the current members, as the list server lists them.
struct ListMembersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members", abstract: "List the current members of a list (for the owner and members).")

    @Argument(help: "The list's address (default: this account's list).") var list: String?
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let members = try await withClient(location) { client in
            try await client.listMembers(try list.map { try MailText.addresses([$0])[0] } ?? client.address)
        }
        for member in members.members {
            print("\(TerminalText.line(member.address))  \(member.fingerprint)  joined at #\(member.joined)")
        }
        print("epoch       \(members.epoch)")
    }
}

/// `dialogue list held`: the held posts of a moderated list.
struct ListHeldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "held", abstract: "List the posts a moderated list holds for approval.")

    @OptionGroup var location: AccountLocation

    func run() async throws {
        let held = try await ListCommand.withAgent(location) { agent in try await agent.held() }
        if held.isEmpty { print("(no held posts)") }
        for item in held {
            print(
                "\(item.post.envelope.text(kind: .blob))  \(TerminalText.line(item.post.author.text))  "
                    + "\(item.post.messageSize) bytes  " + Format.date(item.received))
        }
    }
}

/// `dialogue list approve`: approve (or reject) a held post.
struct ListApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a held post (see 'dialogue list held'); --reject drops it.")

    @Argument(help: "The held post's envelope identifier (blob-…).") var envelope: String
    @Flag(name: .long, help: "Reject the post instead: the server drops it and its blobs.") var reject = false
    @OptionGroup var location: AccountLocation

    func run() async throws {
        guard let id = try? ContentIdentifier(text: envelope, kind: .blob) else {
            throw fail("malformed", "\(envelope) is not a blob identifier", status: ExitStatus.usage)
        }
        try await ListCommand.withAgent(location) { agent in
            if reject { try await agent.reject(id) } else { try await agent.approve(id) }
        }
        print("\(reject ? "rejected" : "approved")    \(envelope)")
    }
}
