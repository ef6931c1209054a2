import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where `open --out DIR` saves parts: all of them or none, never over an existing file
/// (Spec: messages.md#msg-reader-files, messages.md#msg-reader-partial).
///
/// Each part is first written to a temporary file inside the directory, created exclusively
/// (`O_EXCL`) with mode 0600 and a hidden name (`.dialogue-partial-…`). Only when every part has
/// authenticated are the temporaries moved into place, each with `link(2)`, which fails
/// instead of replacing whatever has the name (a file, a directory, a symbolic link); a taken
/// name moves on to `name (1).ext`, `name (2).ext`… If anything fails, the temporaries and the
/// files already placed are removed: the directory is left as it was.
final class PartOutputDirectory {
    /// A part written under its temporary name, waiting to be placed.
    struct Staged {
        let temporary: String
        let name: SavedFileName
        let partNumber: Int
    }

    /// Where a part was saved, and why the name differs from the sender's.
    struct Placed {
        let path: String
        let partNumber: Int
        let changes: [String]
    }

    /// How many names are tried before giving up on a part.
    static let maximumAttempts = 1000

    let path: String
    private var temporaries: [String] = []
    private var placed: [String] = []
    /// The mode a saved file gets once it is placed: 0666 less the umask, as for any new file.
    private let finalMode: mode_t

    /// Creates the directory (and its parents) if needed.
    init(creating path: String) throws {
        self.path = path
        let mask = umask(0o022)
        umask(mask)
        finalMode = 0o666 & ~mask
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot-create", "cannot create the directory \(path)", status: ExitStatus.cannotCreate)
        }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            throw fail("cannot-create", "\(path) is not a directory", status: ExitStatus.cannotCreate)
        }
    }

    /// Creates a new temporary file (mode 0600) and returns its descriptor and path.
    func createTemporary() throws -> (descriptor: Int32, path: String) {
        let temporary = "\(path)/.dialogue-partial-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw fail(
                "cannot-create", "cannot create a file in \(path): \(String(cString: strerror(errno)))",
                status: ExitStatus.cannotCreate)
        }
        temporaries.append(temporary)
        return (descriptor, temporary)
    }

    /// Moves a staged part into place under the first free name; never replaces anything.
    func place(_ staged: Staged) throws -> Placed {
        var limit = SavedFileName.maximumBytes
        var attempt = 0
        while attempt < Self.maximumAttempts {
            let name = staged.name.candidate(attempt, limit: limit)
            let destination = "\(path)/\(name)"
            if link(staged.temporary, destination) == 0 {
                placed.append(destination)
                // The mode is set through the temporary name, which only this process made.
                chmod(staged.temporary, finalMode)
                unlink(staged.temporary)
                temporaries.removeAll { $0 == staged.temporary }
                var changes = staged.name.changes
                if staged.name.isShortened(attempt, limit: limit) {
                    changes.append("the name is longer than \(limit) bytes")
                }
                if attempt > 0 { changes.append("'\(staged.name.candidate(0, limit: limit))' is taken") }
                return Placed(path: destination, partNumber: staged.partNumber, changes: changes)
            }
            switch errno {
            case EEXIST:
                attempt += 1
            case ENAMETOOLONG where limit > 64:
                // Some file systems allow fewer than 255 bytes: try shorter names.
                limit -= 32
            default:
                throw fail(
                    "cannot-create",
                    "cannot save part \(staged.partNumber) in \(path): \(String(cString: strerror(errno)))",
                    status: ExitStatus.cannotCreate)
            }
        }
        throw fail(
            "cannot-create",
            "cannot save part \(staged.partNumber) in \(path): \(Self.maximumAttempts) names are taken",
            status: ExitStatus.cannotCreate)
    }

    /// Removes every temporary file, and every file placed so far: after a failure the
    /// directory holds nothing of the message.
    func discard() {
        for file in temporaries + placed { unlink(file) }
        temporaries = []
        placed = []
    }
}
