import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueMessages
import DialogueTrust

#if canImport(Glibc)
    import Glibc
#endif

/// Exit statuses from sysexits(3), so scripts can tell bad data from a missing file.
enum ExitStatus {
    /// The command was used wrongly: `EX_USAGE`.
    static let usage: Int32 = 64
    /// The input data was incorrect: `EX_DATAERR`.
    static let dataError: Int32 = 65
    /// An input file did not exist or was not readable: `EX_NOINPUT`.
    static let noInput: Int32 = 66
    /// A service the command needs is unavailable (the suite's peer cannot listen): `EX_UNAVAILABLE`.
    static let unavailable: Int32 = 69
    /// A file could not be created or written: `EX_CANTCREAT`.
    static let cannotCreate: Int32 = 73
    /// Reading or writing failed: `EX_IOERR`.
    static let ioError: Int32 = 74
    /// A server could not be reached, or answered that it is unavailable: `EX_TEMPFAIL`, try again later.
    static let temporaryFailure: Int32 = 75
    /// No account is configured: `EX_CONFIG`.
    static let configuration: Int32 = 78
}

/// Prints `error: code: reason` on standard error and exits with `status`.
func fail(_ code: String, _ reason: String, status: Int32 = ExitStatus.dataError) -> ExitCode {
    writeStandardError("error: \(code): \(reason)\n")
    return ExitCode(status)
}

/// Runs `body`, turning the library's errors into `error: code: reason` with their sysexits
/// status, so that no error reaches the argument parser's generic `Error:` line.
///
/// - Parameter context: put before the reason, e.g. `"part 2: "`.
func reporting<T>(_ context: String = "", _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as MessageError {
        throw fail(error.code.name, context + error.reason)
    } catch let error as TrustDecisionError {
        throw fail(error.code.name, context + error.reason)
    } catch let error as TrustStoreError {
        throw fail(error.code.name, context + error.reason)
    } catch let error as ClientError {
        throw ClientFailure.exit(error, context: context)
    } catch let error as DeliveryError {
        throw fail(error.code.name, context + error.reason)
    } catch let error as StorageError {
        // One storage error type for stores, attachments and files: its code says which sysexits status.
        switch error.code {
        case .notFound, .notADirectory: throw fail("no-input", context + error.description, status: ExitStatus.noInput)
        case .alreadyExists: throw fail("cannot-create", context + error.description, status: ExitStatus.cannotCreate)
        default: throw fail("io-error", context + error.description, status: ExitStatus.ioError)
        }
    }
}

/// Writes text to standard error.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// Writes bytes to standard output.
func writeStandardOutput(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, bytes.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}

/// How the client's errors end a command: `error: code: reason`, a hint of what to do, and the
/// sysexits status (a server that cannot be reached is not a protocol error).
enum ClientFailure {
    static func exit(_ error: ClientError, context: String = "") -> ExitCode {
        switch error.code {
        case .unreachable, .init("unavailable"), .init("rate-limited"):
            writeStandardError("hint: the server did not answer; check the URL and try again later\n")
            return fail(error.code.name, context + error.reason, status: ExitStatus.temporaryFailure)
        case .notConfigured:
            return fail(error.code.name, context + error.reason, status: ExitStatus.configuration)
        case .trustAlarm:
            writeStandardError(
                "hint: compare safety numbers with the contact ('dialogue trust safety-number'), then send again "
                    + "with --accept-key-change ADDRESS if the new key is theirs\n")
            return fail(error.code.name, context + error.reason)
        case .unknownMessage:
            writeStandardError("hint: 'dialogue inbox' lists the messages of this device\n")
            return fail(error.code.name, context + error.reason, status: ExitStatus.noInput)
        default:
            return fail(error.code.name, context + error.reason)
        }
    }
}
