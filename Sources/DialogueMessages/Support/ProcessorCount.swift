#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The number of cores available to this process.
public enum ProcessorCount {
    /// Online processors, at least 1.
    public static let active: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
