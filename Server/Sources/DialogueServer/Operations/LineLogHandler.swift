internal import Foundation
public import Logging

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The log handler of `dialogued serve`: one line per record on a file descriptor (standard error), in
/// one `write`, as `2026-12-07T06:04:00Z info dialogued: request method=GET route=/health status=200 …`
/// ([dlv-ops-metrics]).
///
/// It exists because logging is on the path of every request: swift-log's `StreamLogHandler` formats
/// the local time zone's time, re-renders the logger's metadata each time a key is set (once per
/// request, for the request id) and merges dictionaries for each record, which took an eighth of the
/// CPU time of a small blob GET. Here the time is UTC, rendered by hand; metadata is rendered only for
/// records that are written, explicit keys first, then the logger's, each set in key order. A value
/// with a space, a quote, `=` or a control character is quoted with escapes, so a value can never
/// start a new line or fake a key.
public struct LineLogHandler: LogHandler {
    /// The logger's label, on every line.
    public let label: String
    /// Where lines go.
    public let descriptor: Int32
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// The logger's metadata (the request id, for a request's logger).
    public var metadata: Logger.Metadata = [:]
    /// More metadata, read for each record.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler writing records at `logLevel` or above to `descriptor`.
    public init(label: String, descriptor: Int32 = 2, logLevel: Logger.Level = .info) {
        self.label = label
        self.descriptor = descriptor
        self.logLevel = logLevel
    }

    /// One key of the logger's metadata.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line, if its level is at least ``logLevel`` (swift-log checks that first).
    public func log(event: LogEvent) {
        var line = Self.start(event.level, label: label, message: event.message.description)
        let explicit = event.metadata ?? [:]
        Self.append(explicit, to: &line, except: [:])
        Self.append(metadata, to: &line, except: explicit)
        if let provided = metadataProvider?.get() {
            Self.append(provided, to: &line, except: explicit.merging(metadata) { first, _ in first })
        }
        line.append(0x0A)
        Self.writeAll(line, to: descriptor)
    }

    /// Whether ``log(_:_:sortedFields:)`` writes what ``log(event:)`` would: the handler adds no
    /// metadata of its own.
    package var writesFieldsAlone: Bool { metadata.isEmpty && metadataProvider == nil }

    /// Writes the line that ``log(event:)`` writes for a record of `message` at `level` whose metadata
    /// is `fields`, given in key order, when ``writesFieldsAlone``: for the blob fast path's request
    /// lines, which would otherwise build a dictionary for each request only to have it sorted here.
    package func log(_ level: Logger.Level, _ message: String, sortedFields fields: [(key: String, value: String)]) {
        guard level >= logLevel else { return }
        var line = Self.start(level, label: label, message: message)
        for (key, value) in fields { Self.appendField(key, value, to: &line) }
        line.append(0x0A)
        Self.writeAll(line, to: descriptor)
    }

    /// A line's time, level, label and message.
    private static func start(_ level: Logger.Level, label: String, message: String) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        appendTimestamp(to: &line)
        line.append(0x20)
        line.append(contentsOf: level.rawValue.utf8)
        line.append(0x20)
        line.append(contentsOf: label.utf8)
        line.append(contentsOf: ": ".utf8)
        appendValue(message, to: &line, bare: true)
        return line
    }

    /// ` key=value`, each quoted if it must be.
    private static func appendField(_ key: String, _ value: String, to line: inout [UInt8]) {
        line.append(0x20)
        appendValue(key, to: &line, bare: false)
        line.append(UInt8(ascii: "="))
        appendValue(value, to: &line, bare: false)
    }

    private static func append(_ metadata: Logger.Metadata, to line: inout [UInt8], except: Logger.Metadata) {
        if metadata.isEmpty { return }
        // One pass over the pairs, sorted by key, instead of a lookup per key.
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where except.isEmpty || except[key] == nil {
            if case .string(let text) = value {
                appendField(key, text, to: &line)
            } else {
                appendField(key, value.description, to: &line)
            }
        }
    }

    /// `text` as it is when it needs no quoting (or, `bare`, when only control characters are escaped:
    /// the message), else in double quotes with `\"`, `\\`, `\n`, `\r`, `\t` and `\u{…}` escapes.
    static func appendValue(_ text: String, to line: inout [UInt8], bare: Bool) {
        let utf8 = text.utf8
        let plain = utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x7F && (bare || (byte != 0x20 && byte != 0x22 && byte != 0x3D && byte != 0x5C))
        }
        if plain && !utf8.isEmpty {
            line.append(contentsOf: utf8)
            return
        }
        if !bare { line.append(0x22) }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where !bare: line.append(contentsOf: #"\""#.utf8)
            case "\\" where !bare: line.append(contentsOf: #"\\"#.utf8)
            case "\n": line.append(contentsOf: #"\n"#.utf8)
            case "\r": line.append(contentsOf: #"\r"#.utf8)
            case "\t": line.append(contentsOf: #"\t"#.utf8)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                line.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".utf8)
            default: line.append(contentsOf: String(scalar).utf8)
            }
        }
        if !bare { line.append(0x22) }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, UTC.
    static func appendTimestamp(to line: inout [UInt8]) {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) {
            line.append(UInt8(ascii: "0") + UInt8(value / 10 % 10))
            line.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        let year = parts.tm_year + 1900
        two(year / 100)
        two(year % 100)
        line.append(UInt8(ascii: "-"))
        two(parts.tm_mon + 1)
        line.append(UInt8(ascii: "-"))
        two(parts.tm_mday)
        line.append(UInt8(ascii: "T"))
        two(parts.tm_hour)
        line.append(UInt8(ascii: ":"))
        two(parts.tm_min)
        line.append(UInt8(ascii: ":"))
        two(parts.tm_sec)
        line.append(UInt8(ascii: "Z"))
    }

    /// One `write` for a whole line (the kernel appends it whole to a file opened with `O_APPEND`, and
    /// a pipe takes up to 4,096 bytes whole), continued after a partial write; a failure is dropped: a
    /// log that cannot be written must not stop a request.
    private static func writeAll(_ line: [UInt8], to descriptor: Int32) {
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
