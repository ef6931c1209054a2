import AsyncHTTPClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The `HEAD` of the envelope at the sender's server before a notification is accepted (Spec: [dlv-abuse-head]).
@Suite struct EnvelopeCheckTests {
    /// Answers the check as it is told, and records what it was asked.
    final class FakeChecker: EnvelopeChecking {
        enum Behaviour {
            case answer(EnvelopeHeadAnswer)
            case noAnswer
        }

        private let state: Mutex<(behaviour: Behaviour, asked: [String])>

        init(_ behaviour: Behaviour) { state = Mutex((behaviour, [])) }

        func set(_ behaviour: Behaviour) { state.withLock { $0.behaviour = behaviour } }

        var asked: [String] { state.withLock { $0.asked } }

        func head(_ id: ContentIdentifier, at baseURL: BaseURL) async throws -> EnvelopeHeadAnswer {
            let behaviour = state.withLock { state in
                state.asked.append(baseURL.endpoint("/blobs/" + id.text(kind: .blob)))
                return state.behaviour
            }
            switch behaviour {
            case .answer(let answer): return answer
            case .noAnswer: throw FakeNetworkError.connectionRefused
            }
        }
    }

    func inboxCount(_ harness: MailHarness) async throws -> Int {
        try await harness.store.inbox(recipient: "alice@example.org", after: nil, limit: 100).count
    }

    @Test(
        "[dlv-abuse-head] a notification is taken only when the sender's server answers HEAD with the envelope's size; otherwise 422 and nothing stored"
    )
    func refusals() async throws {
        let envelope = Array("an envelope of some bytes".utf8)
        let checker = FakeChecker(.answer(EnvelopeHeadAnswer(status: 404, length: nil)))
        let harness = try await MailHarness(envelopeChecker: checker)
        try await harness.application.test(.router) { client in
            let notification = try harness.notification(to: "alice@example.org", envelope: envelope)
            let refusals: [EnvelopeHeadAnswer] = [
                EnvelopeHeadAnswer(status: 404, length: nil), EnvelopeHeadAnswer(status: 410, length: nil),
                EnvelopeHeadAnswer(status: 200, length: UInt64(envelope.count) + 1),
                EnvelopeHeadAnswer(status: 200, length: nil),
            ]
            for answer in refusals {
                checker.set(.answer(answer))
                let refused = try await harness.notify(client, notification)
                #expect(refused.status == .unprocessableContent, "\(answer)")
                #expect(refused.problem == "authentication-failed", "\(answer)")
                #expect(try await inboxCount(harness) == 0)
            }
            #expect(
                checker.asked.allSatisfy {
                    $0 == "https://mail.example.net/dialogue/v1/blobs/" + blobID(envelope).text(kind: .blob)
                })
            checker.set(.answer(EnvelopeHeadAnswer(status: 200, length: UInt64(envelope.count))))
            // An http base URL off loopback, which no peers file names, is not even asked.
            let asked = checker.asked.count
            let plain = try harness.notification(
                to: "alice@example.org", envelope: envelope, baseURL: "http://mail.example.net/dialogue/v1")
            let refused = try await harness.notify(client, plain)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problem == "authentication-failed")
            #expect(checker.asked.count == asked)
            #expect(try await harness.notify(client, notification).status == .accepted)
            #expect(try await inboxCount(harness) == 1)
        }
    }

    @Test(
        "[dlv-abuse-head] when the sender's server cannot be asked, the notification is 503 with Retry-After (retried), not refused"
    )
    func noAnswer() async throws {
        let checker = FakeChecker(.noAnswer)
        let harness = try await MailHarness(envelopeChecker: checker)
        try await harness.application.test(.router) { client in
            let notification = try harness.notification(to: "alice@example.org", envelope: Array("x".utf8))
            for behaviour: FakeChecker.Behaviour in [
                .noAnswer, .answer(EnvelopeHeadAnswer(status: 503, length: nil)),
                .answer(EnvelopeHeadAnswer(status: 429, length: nil)),
                .answer(EnvelopeHeadAnswer(status: 302, length: nil)),
            ] {
                checker.set(behaviour)
                let response = try await harness.notify(client, notification)
                #expect(response.status == .serviceUnavailable)
                #expect(response.problem == "unavailable")
                #expect(response.headers[.retryAfter] == "30")
                #expect(ResponseClass(status: Int(response.status.code)) == .retry)
                #expect(try await inboxCount(harness) == 0)
            }
        }
    }

    @Test("[dlv-abuse-head] the check is made over HTTP against a sender's server on loopback")
    func overLoopback() async throws {
        let held = Array("the envelope the peer holds".utf8)
        let announced = held.count
        let router = Router()
        router.on("/dialogue/v1/blobs/:blob", method: .head) { _, context -> Response in
            let blob = context.parameters.get("blob") ?? ""
            guard blob == blobID(held).text(kind: .blob) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentLength: String(announced)])
        }
        let peer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await peer.test(.live) { peerClient in
            let port = try #require(peerClient.port)
            let httpClient = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: SignedHTTPClient.configuration(.init()))
            let checker = HTTPBlobFetcher(client: httpClient)
            let harness = try await MailHarness(envelopeChecker: checker)
            let baseURL = "http://127.0.0.1:\(port)/dialogue/v1"
            try await harness.application.test(.router) { client in
                let good = try harness.notification(to: "alice@example.org", envelope: held, baseURL: baseURL)
                #expect(try await harness.notify(client, good).status == .accepted)
                let missing = try harness.notification(
                    to: "alice@example.org", envelope: Array("not held".utf8), baseURL: baseURL)
                let refused = try await harness.notify(client, missing)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.problem == "authentication-failed")
                #expect(try await inboxCount(harness) == 1)
            }
            try await httpClient.shutdown()
        }
    }
}
