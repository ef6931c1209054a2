public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueTrust
internal import Foundation

/// A Dialogue user agent over the network: a Swift app's whole mail client (Spec: delivery.md).
///
/// ```swift
/// let client = try MailClient(
///     address: try Address(parsing: "alice@example.org"), identity: alice,
///     homeServer: try BaseURL("https://mail.example.org/dialogue/v1"), directory: "/path/to/state")
/// defer { Task { await client.shutdown() } }
/// let report = try await client.send(.init(to: [bob], subject: "Hello", text: "Hi Bob"))
/// for message in try await client.sync() { print(message.sender, message.subject ?? "") }
/// ```
///
/// Recipients' cards are fetched from their servers and judged by trust on first use before
/// anything is sealed ([dlv-card-judged]); only the blobs the home server lacks are uploaded;
/// only the blobs the local store lacks are fetched; nothing is acknowledged before the home
/// server keeps it ([dlv-keep-before-ack]).
public final class MailClient: Sendable {
    /// The account's address.
    public let address: Address
    /// The account's identity.
    public let identity: SecretIdentity
    /// The home server.
    public let homeServer: BaseURL
    /// The local store of this device.
    public let store: ClientStore
    /// Trust on first use, over this device's trust store.
    public let trust: TrustEngine
    /// What this client fetched from servers.
    public let fetched = FetchCounter()
    /// Where transfer progress goes.
    public let progress: ProgressHandler?

    let http: ClientHTTP
    let directory: ServerDirectory

    /// How long a submitted message is kept at most: 30 days ([dlv-submission] allows 90).
    public static let submissionLifetime: UInt64 = 2_592_000

    /// Opens the client of `address` over the state in `directory` (`client.sqlite`, `trust.sqlite`).
    ///
    /// - Parameters:
    ///   - peers: A peers file for private networks ([dlv-peers]); without one, servers are found
    ///     by the well-known URL ([dlv-discovery]).
    ///   - progress: Called as blobs move.
    public init(
        address: Address, identity: SecretIdentity, homeServer: BaseURL, peers: PeersFile? = nil, directory: String,
        progress: ProgressHandler? = nil
    ) throws(ClientError) {
        guard identity.card.lists(address) else {
            throw ClientError(.addressMismatch, "\(address) is not on the identity's card")
        }
        self.address = address
        self.identity = identity
        self.homeServer = homeServer
        self.progress = progress
        store = try ClientStore(path: directory + "/client.sqlite")
        do {
            trust = TrustEngine(store: try SQLiteTrustStore(path: directory + "/trust.sqlite"))
        } catch {
            throw ClientError(.storeFailed, "the trust store: \(error.reason)")
        }
        http = try ClientHTTP(identity: identity, address: address)
        self.directory = ServerDirectory(
            http: http, peers: peers, homeDomain: String(address.domain), homeBaseURL: homeServer)
    }

    /// Closes the connections. Call it once the client is no longer used.
    public func shutdown() async { await http.shutdown() }

    /// The home server's URL of `path`.
    func home(_ path: String) -> String { homeServer.endpoint(path) }

    /// A store that fetches what the local store lacks from `sources`, in order.
    func fetching(from sources: [BaseURL]) -> FetchingBlobStore {
        FetchingBlobStore(local: store, http: http, sources: sources, progress: progress, fetched: fetched)
    }

    // MARK: Registration

    /// Whether the home server serves this account's current card (`GET /cards/{address}`): a
    /// user is registered by the server's operator ([dlv-card]).
    public func isRegistered() async throws(ClientError) -> Bool {
        let answer = try await http.send("GET", home("/cards/" + address.text), limit: CardResponse.maximumSize)
        guard answer.status == 200 else {
            if answer.status == 404 { return false }
            throw answer.error("GET /cards/\(address)")
        }
        guard let response = try? CardResponse(decoding: answer.body), let card = try? response.decodedCard() else {
            throw ClientError(.invalidResponse, "the home server's card response for \(address) does not decode")
        }
        return card.fingerprint == identity.fingerprint
    }
}

extension ClientError.Code {
    /// An address that is not the one expected ([dlv-errors]).
    public static let addressMismatch = ClientError.Code("address-mismatch")
}
