/// Fetches a server document's bytes with a `GET` that never follows a redirect (Spec: [dlv-discovery]):
/// the network half of discovery, so that tests give documents without one.
public protocol DocumentFetching: Sendable {
    /// `GET url`; the answer whatever its status. Throws when no answer came.
    func get(_ url: String) async throws -> PeerResponse
}

extension SignedHTTPClient: DocumentFetching {}
