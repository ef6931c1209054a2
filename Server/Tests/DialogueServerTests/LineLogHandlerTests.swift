import DialogueServer
import Foundation
import Logging
import Testing

/// `dialogued serve`'s log lines ([dlv-ops-metrics]): one line per record, whatever a value holds.
@Suite struct LineLogHandlerTests {
    /// The lines `body` logs through a ``LineLogHandler`` on a pipe.
    private func lines(_ body: (Logger) -> Void) throws -> [String] {
        let pipe = Pipe()
        var logger = Logger(label: "dialogued") { label in
            LineLogHandler(label: label, descriptor: pipe.fileHandleForWriting.fileDescriptor, logLevel: .info)
        }
        logger[metadataKey: "hb.request.id"] = "42"
        body(logger)
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("a record is one line: UTC time, level, label, message, explicit keys then the logger's, in key order")
    func format() throws {
        let written = try lines { logger in
            logger.info("request", metadata: ["status": "200", "method": "GET", "route": "/health"])
            logger.debug("below the level: not written")
        }
        #expect(written.count == 2 && written[1].isEmpty, "\(written)")
        let line = written[0]
        let pattern =
            #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z info dialogued: request method=GET route=/health status=200 hb\.request\.id=42$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
        let stamp = try #require(ISO8601DateFormatter().date(from: String(line.prefix(20))))
        #expect(abs(stamp.timeIntervalSinceNow) < 60)
    }

    @Test("a value cannot start a line or fake a key: newlines, quotes, spaces and = are escaped inside quotes")
    func escaping() throws {
        let written = try lines { logger in
            logger.info(
                "two\nlines",
                metadata: ["reason": "a b=\"c\"\n2026-01-01T00:00:00Z info dialogued: forged", "empty": ""])
        }
        #expect(written.count == 2, "\(written)")
        #expect(
            written[0].hasSuffix(
                #"two\nlines empty="" reason="a b=\"c\"\n2026-01-01T00:00:00Z info dialogued: forged" hb.request.id=42"#
            ),
            "\(written[0])")
    }

    @Test("an explicit key hides the logger's key of the same name")
    func explicitFirst() throws {
        let written = try lines { logger in logger.info("request", metadata: ["hb.request.id": "7"]) }
        #expect(written[0].hasSuffix("request hb.request.id=7"), "\(written[0])")
    }

    @Test("fields given in key order make the line the same record's metadata makes, quoting included")
    func sortedFieldsWriteTheSameLine() throws {
        let pipe = Pipe()
        let handler = LineLogHandler(label: "dialogued", descriptor: pipe.fileHandleForWriting.fileDescriptor)
        #expect(handler.writesFieldsAlone)
        let fields = [
            ("duration_us", "157"), ("hb.request.id", "6c02"), ("method", "GET"), ("route", "/a b"), ("status", "200"),
        ]
        Logger(label: "dialogued") { _ in handler }.info(
            "request", metadata: Logger.Metadata(uniqueKeysWithValues: fields.map { ($0.0, .string($0.1)) }))
        handler.log(.info, "request", sortedFields: fields.map { (key: $0.0, value: $0.1) })
        handler.log(.debug, "below the level", sortedFields: [])
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let written = text.split(separator: "\n").map { $0.dropFirst(21) }
        #expect(written.count == 2, "\(written)")
        #expect(
            written.first
                == #"info dialogued: request duration_us=157 hb.request.id=6c02 method=GET route="/a b" status=200"#)
        #expect(written.first == written.last)
        var withMetadata = handler
        withMetadata[metadataKey: "hb.request.id"] = "42"
        #expect(!withMetadata.writesFieldsAlone)
    }
}
