#if canImport(Glibc)
    internal import Glibc
#endif

/// Whole files and directories, read with the C library: the fuzzer's setup and the harness's corpora.
public enum FileBytes {
    /// The bytes of the file at `path`, or `nil`.
    public static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes += buffer[..<count] }
            if count < buffer.count { break }
        }
        return ferror(file) == 0 ? bytes : nil
    }

    /// The names of the regular files in `directory`, sorted; empty if it cannot be read.
    public static func list(_ directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            // The name is read up to its NUL where it lies: a record is only as long as its name
            // (d_reclen), so copying the whole 256-byte d_name can read past the end of
            // readdir's buffer, as ASan found.
            let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." && entry.pointee.d_type == UInt8(DT_REG) { names.append(name) }
        }
        return names.sorted()
    }

    /// Writes `bytes` to `path`, replacing it; false on failure.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        return fwrite(bytes, 1, bytes.count, file) == bytes.count
    }
}
