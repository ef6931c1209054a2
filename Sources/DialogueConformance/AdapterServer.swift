#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The adapter side of the protocol (Spec: conformance.md#conf-adapter): reads requests on standard
/// input, answers each with exactly one line on standard output, and exits when its input closes.
public enum AdapterServer {
    /// Serves `target` (by default the Swift library) until standard input ends.
    public static func run(target: any ConformanceTarget = ReferenceTarget()) async {
        signal(SIGPIPE, SIG_IGN)
        var reader = LineReader(descriptor: 0)
        while let line = reader.next() {
            if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
            guard let message = try? JSONValue(parsing: line) else {
                log("adapter: ignoring a line that is not JSON")
                continue
            }
            switch message["type"]?.stringValue {
            case "hello":
                let hello = (try? await target.start()) ?? ReferenceTarget.hello
                send(
                    .object([
                        ("type", "hello"), ("protocol", 1), ("name", .string(hello.name)),
                        ("version", .string(hello.version)),
                        (
                            "operations",
                            .array(ConformanceOperation.all.filter(hello.operations.contains).map { .string($0) })
                        ),
                        ("features", .array(hello.features.sorted().map { .string($0) })),
                    ])
                )
            case "request":
                let id = message["id"] ?? .null
                let operation = message["operation"]?.stringValue ?? ""
                let outcome = await target.perform(operation, input: message["input"] ?? .object([]))
                send(response(id: id, outcome))
            default:
                log("adapter: ignoring a message of unknown type")
            }
        }
        await target.stop()
    }

    static func response(id: JSONValue, _ outcome: Outcome) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "response"), ("id", id)]
        switch outcome {
        case .ok(let output):
            members += [("status", "ok"), ("output", output)]
        case .error(let errorClass, let detail, let message):
            members += [("status", "error"), ("error", .string(errorClass))]
            if let detail { members.append(("detail", .string(detail))) }
            if let message { members.append(("message", .string(message))) }
        case .unsupported(let message):
            members.append(("status", "unsupported"))
            if let message { members.append(("message", .string(message))) }
        case .broken(let reason):
            members += [("status", "error"), ("error", "malformed"), ("message", .string(reason))]
        }
        return .object(members)
    }

    private static func send(_ value: JSONValue) {
        var bytes = Array(value.compact().utf8)
        bytes.append(0x0a)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { exit(1) }
            offset += written
        }
    }

    private static func log(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// Reads lines from a file descriptor, blocking.
struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    mutating func next() -> String? {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var searched = start
        while true {
            if let newline = buffer[max(start, searched)...].firstIndex(of: 0x0a) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                if start > 1 << 20 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            if ended {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            searched = buffer.count
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                ended = true
            } else {
                buffer.append(contentsOf: chunk[..<count])
            }
        }
    }
}
