import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Synchronization
import Testing

/// `/metrics` in the Prometheus text format, and one log line per request (Spec: [dlv-ops-metrics]).
@Suite struct MetricsAndLogTests {
    /// Keeps every log record, to read what a request logged.
    final class RecordingLog: Sendable {
        struct Record: Sendable {
            var message: String
            var metadata: Logger.Metadata
        }

        let records = Mutex<[Record]>([])

        var logger: Logger {
            Logger(label: "dialogued") { _ in Handler(log: self) }
        }

        struct Handler: LogHandler {
            let log: RecordingLog
            var metadata: Logger.Metadata = [:]
            // The default level of `dialogued`: what an operator's log holds.
            var logLevel: Logger.Level = .info

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                let merged = metadata.merging(event.metadata ?? [:]) { $1 }
                log.records.withLock { $0.append(Record(message: event.message.description, metadata: merged)) }
            }
        }
    }

    /// The value of the sample `line` of an exposition, e.g. `dialogued_stored_blobs`.
    func sample(_ exposition: String, _ line: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(line + " ") }
            .flatMap { Double($0.dropFirst(line.count + 1)) }
    }

    @Test(
        "[dlv-ops-metrics] /metrics counts requests by route and status, times them, and reads the outbox and stored bytes"
    )
    func metrics() async throws {
        let metrics = ServerMetrics(registry: PrometheusCollectorRegistry())
        let harness = try await MailHarness(metrics: metrics)
        let envelope = Array("a metered envelope".utf8)
        try await harness.application(metrics: metrics).test(.router) { client in
            let path = "/blobs/" + blobID(envelope).text(kind: .blob)
            #expect(
                try await client.execute(
                    uri: base + path, method: .put,
                    headers: try harness.user(harness.alice, "PUT", path, body: envelope),
                    body: ByteBuffer(bytes: envelope)
                ).status == .created)
            let submission = try harness.submission(envelope: blobID(envelope), chunks: []).encodedBytes
            #expect(
                try await client.execute(
                    uri: base + "/submissions", method: .post,
                    headers: try harness.user(harness.alice, "POST", "/submissions", body: submission),
                    body: ByteBuffer(bytes: submission)
                ).status == .created)
            #expect(try await harness.list(client).status == .ok)
            #expect(try await client.execute(uri: base + "/blobs/blob-nonsense", method: .get).status == .badRequest)
            let notification = try harness.notification(to: "alice@example.org", envelope: Array("n".utf8))
            #expect(try await harness.notify(client, notification).status == .accepted)

            let scraped = try await client.execute(uri: "/metrics", method: .get)
            #expect(scraped.status == .ok)
            #expect(scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: scraped.bytes, as: UTF8.self)
            #expect(sample(text, #"dialogued_http_requests_total{route="/blobs/{blob}",status="201"}"#) == 1)
            #expect(sample(text, #"dialogued_http_requests_total{route="/submissions",status="201"}"#) == 1)
            #expect(sample(text, #"dialogued_http_requests_total{route="/inbox",status="200"}"#) == 1)
            #expect(sample(text, #"dialogued_http_requests_total{route="/blobs/{blob}",status="400"}"#) == 1)
            #expect(sample(text, #"dialogued_http_request_duration_seconds_count{route="/inbox"}"#) == 1)
            #expect(text.contains(#"dialogued_http_request_duration_seconds_bucket{route="/inbox",le="+Inf"} 1"#))
            #expect(sample(text, "dialogued_notifications_accepted_total") == 1)
            #expect(sample(text, #"dialogued_outbox_waiting{kind="notification"}"#) == 1)
            #expect(sample(text, #"dialogued_outbox_waiting{kind="relay"}"#) == 0)
            #expect(sample(text, "dialogued_stored_blobs") == 1)
            #expect(sample(text, "dialogued_stored_bytes") == Double(envelope.count))
            // No parameter's value is a label: blob identifiers and addresses stay out of the metrics.
            #expect(!text.contains("blob-"))
            #expect(!text.contains("example.org"))
        }
    }

    @Test("[dlv-ops-metrics] without a registry /metrics is 404 not-found")
    func noRegistry() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
            #expect(response.problem == "not-found")
        }
    }

    @Test("[dlv-ops-metrics] one log line per request, with its request id, and no header, path parameter or body")
    func oneLogLinePerRequest() async throws {
        let log = RecordingLog()
        let harness = try await MailHarness()
        let envelope = Array("secret-looking body".utf8)
        let path = "/blobs/" + blobID(envelope).text(kind: .blob)
        let headers = try harness.user(harness.alice, "PUT", path, body: envelope)
        try await harness.application(metrics: ServerMetrics(), logger: log.logger).test(.router) { client in
            _ = try await client.execute(
                uri: base + path, method: .put, headers: headers, body: ByteBuffer(bytes: envelope))
            _ = try await client.execute(uri: base + path, method: .get)
            _ = try await client.execute(uri: "/nowhere/alice@example.org", method: .get)
        }
        let lines = log.records.withLock { $0 }.filter { $0.message == "request" }
        #expect(lines.count == 3)
        let ids = Set(lines.compactMap { $0.metadata["hb.request.id"]?.description })
        #expect(ids.count == 3)
        // The upload is not named by a submission yet, so it is not served.
        #expect(lines.map { $0.metadata["status"]?.description } == ["201", "404", "404"])
        #expect(lines.map { $0.metadata["route"]?.description } == ["/blobs/{blob}", "/blobs/{blob}", "unknown"])
        let everything = log.records.withLock { $0 }.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        let signature = try #require(headers[HTTPField.Name("Signature")!])
        for secret in [blobID(envelope).text(kind: .blob), "alice@example.org", "secret-looking", signature] {
            #expect(!everything.contains(secret), "the log holds \(secret)")
        }
    }
}
