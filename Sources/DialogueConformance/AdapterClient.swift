#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// An implementation driven through the adapter protocol (Spec: conformance.md#conf-adapter): a
/// program started with `/bin/sh -c COMMAND` in its own process group, spoken to in JSON Lines.
///
/// Each request has a timeout. An adapter that exits, hangs or answers with something that is not
/// a response fails that request and is killed (with its whole process group); the next request
/// starts a fresh one.
public final class AdapterTarget: ConformanceTarget, @unchecked Sendable {
    /// The shell command that starts the adapter.
    public let command: String
    /// Seconds to wait for each response (and for the hello).
    public let timeout: Double
    /// The adapter's own error names mapped to error classes, applied before comparison.
    public let errorMap: [String: String]
    /// How many times the adapter was started.
    public private(set) var starts = 0

    private var process: AdapterProcess?
    private var hello: AdapterHello?
    private var nextID: Int64 = 1

    /// Creates a target for the adapter started by `command`; nothing runs until the first request.
    public init(command: String, timeout: Double = 10, errorMap: [String: String] = [:]) {
        self.command = command
        self.timeout = timeout
        self.errorMap = errorMap
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { process?.kill() }

    /// Starts the adapter if it is not running and exchanges the hello (Spec: conformance.md#conf-adapter).
    public func start() async throws -> AdapterHello {
        if let process, let hello, process.isRunning { return hello }
        process?.kill()
        process = nil
        let started = try AdapterProcess(command: command)
        starts += 1
        let deadline = Deadline(seconds: timeout)
        let request: JSONValue = .object([("type", "hello"), ("protocol", 1)])
        guard started.writeLine(request.compact(), deadline: deadline) else {
            started.kill()
            throw AdapterFailure(description: "the adapter did not read the hello")
        }
        let line: String
        switch started.readLine(deadline: deadline) {
        case .line(let text): line = text
        case .endOfFile:
            started.kill()
            throw AdapterFailure(description: "the adapter exited before answering the hello")
        case .timeout:
            started.kill()
            throw AdapterFailure(description: "the adapter did not answer the hello within \(timeout) s")
        }
        guard let reply = try? JSONValue(parsing: line), reply["type"]?.stringValue == "hello",
            reply["protocol"]?.integerValue == 1
        else {
            started.kill()
            throw AdapterFailure(description: "the adapter's hello is not a protocol 1 hello: \(line.prefix(200))")
        }
        let parsed = AdapterHello(
            name: reply["name"]?.stringValue ?? "unnamed", version: reply["version"]?.stringValue ?? "",
            operations: Set((reply["operations"]?.arrayValue ?? []).compactMap(\.stringValue)),
            features: Set((reply["features"]?.arrayValue ?? []).compactMap(\.stringValue))
        )
        process = started
        hello = parsed
        return parsed
    }

    /// Sends one request and maps the response's error name through `errorMap`; a failed request
    /// kills the adapter, which the next request restarts.
    public func perform(_ operation: String, input: JSONValue) async -> Outcome {
        do {
            _ = try await start()
        } catch {
            return .broken("cannot start the adapter: \(error)")
        }
        guard let process else { return .broken("cannot start the adapter") }
        let id = nextID
        nextID += 1
        let request: JSONValue = .object([
            ("type", "request"), ("id", .integer(id)), ("operation", .string(operation)), ("input", input),
        ])
        let deadline = Deadline(seconds: timeout)
        guard process.writeLine(request.compact(), deadline: deadline) else {
            return restart(after: "the adapter did not read the request (exited or hung)")
        }
        let line: String
        switch process.readLine(deadline: deadline) {
        case .line(let text): line = text
        case .endOfFile: return restart(after: "the adapter exited without answering")
        case .timeout: return restart(after: "no response within \(timeout) s")
        }
        guard let response = try? JSONValue(parsing: line), response["type"]?.stringValue == "response" else {
            return restart(after: "not a response line: \(line.prefix(200))")
        }
        guard response["id"]?.integerValue == id else {
            return restart(after: "a response to request \(response["id"]?.description ?? "?") instead of \(id)")
        }
        switch response["status"]?.stringValue {
        case "ok":
            guard let output = response["output"], output.objectValue != nil else {
                return restart(after: "an ok response without an output object")
            }
            return .ok(output)
        case "error":
            guard let name = response["error"]?.stringValue else {
                return restart(after: "an error response without an error class")
            }
            return .error(
                errorMap[name] ?? name, detail: response["detail"]?.stringValue,
                message: response["message"]?.stringValue
            )
        case "unsupported":
            return .unsupported(response["message"]?.stringValue)
        default:
            return restart(after: "a response with an unknown status")
        }
    }

    /// Closes the adapter's input and waits briefly for it to exit before killing its process group.
    public func stop() async {
        process?.finish(grace: 2)
        process = nil
        hello = nil
    }

    private func restart(after reason: String) -> Outcome {
        process?.kill()
        process = nil
        hello = nil
        return .broken(reason)
    }
}

/// Why an adapter could not be started.
public struct AdapterFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
}

/// A point in time on the monotonic clock.
struct Deadline {
    let nanoseconds: UInt64

    init(seconds: Double) {
        nanoseconds = Deadline.now() + UInt64(max(0, seconds) * 1e9)
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Milliseconds left, at least 0.
    var remainingMilliseconds: Int32 {
        let now = Deadline.now()
        guard nanoseconds > now else { return 0 }
        return Int32(clamping: (nanoseconds - now + 999_999) / 1_000_000)
    }
}

/// A child process with pipes to its standard input and output, in its own process group.
final class AdapterProcess {
    enum ReadResult {
        case line(String)
        case endOfFile
        case timeout
    }

    let pid: pid_t
    private var input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    private var exited = false

    init(command: String) throws {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw AdapterFailure(description: "pipe failed") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw AdapterFailure(description: "pipe failed")
        }
        // No other child (a restarted adapter, say) may inherit these ends.
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let arguments = ["/bin/sh", "-c", command].map { $0.withCString { strdup($0) } }
        defer {
            for argument in arguments { free(argument) }
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments + [nil], environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw AdapterFailure(description: "cannot start '\(command)': \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.input = toChild[1]
        self.output = fromChild[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        kill()
        close(output)
    }

    var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    /// Writes `line` and a line feed; false if the child does not read it before the deadline.
    func writeLine(_ line: String, deadline: Deadline) -> Bool {
        guard input >= 0 else { return false }
        var bytes = Array(line.utf8)
        bytes.append(0x0a)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(input, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && errno != EAGAIN && errno != EINTR { return false }
            var descriptor = pollfd(fd: input, events: Int16(POLLOUT), revents: 0)
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { return false }
            let ready = poll(&descriptor, 1, remaining)
            if ready == 0 { return false }
            if ready < 0 && errno != EINTR { return false }
            if descriptor.revents & Int16(POLLERR | POLLHUP) != 0 { return false }
        }
        return true
    }

    /// Reads one line (without its line feed).
    func readLine(deadline: Deadline) -> ReadResult {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: 0x0a) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            searched = buffer.count
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                continue
            }
            if count == 0 { return .endOfFile }
            if errno != EAGAIN && errno != EINTR { return .endOfFile }
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { return .timeout }
            let ready = poll(&descriptor, 1, remaining)
            if ready == 0 { return .timeout }
        }
    }

    /// Kills the whole process group and reaps the child.
    func kill() {
        if input >= 0 {
            close(input)
            input = -1
        }
        guard !exited else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exited = true
    }

    /// Closes the child's input and waits up to `grace` seconds for it to exit, then kills it.
    func finish(grace: Double) {
        if input >= 0 {
            close(input)
            input = -1
        }
        let deadline = Deadline(seconds: grace)
        while !exited && deadline.remainingMilliseconds > 0 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                break
            }
            usleep(10_000)
        }
        kill()
    }
}
