internal import CSodium

/// The state of the underlying library (libsodium).
///
/// Every entry point of ``DialogueCrypto`` initialises libsodium on first use, exactly once and
/// thread-safely, so calling ``initialize()`` is optional. Call it at start-up to handle the
/// (practically impossible) failure as an error: a function that cannot throw stops the process
/// with a fatal error if libsodium cannot be initialised.
public enum CryptoLibrary {
    /// Initialises libsodium if that has not happened yet.
    ///
    /// - Throws: ``CryptoError/Code/libraryInitializationFailed`` if `sodium_init()` fails.
    public static func initialize() throws(CryptoError) {
        try sodiumInitialization.get()
    }

    /// The version of libsodium in use, for example `1.0.18`.
    public static var libsodiumVersion: String {
        String(cString: sodium_version_string())
    }
}

/// The outcome of the one call to `sodium_init()`.
///
/// Swift initialises a global `let` lazily, once, under a lock, so this is the "call once"
/// libsodium asks for. `sodium_init()` returns 0 on success, 1 if libsodium was already
/// initialised (by another library in the process, say) and -1 on failure.
private let sodiumInitialization: Result<Void, CryptoError> = {
    if sodium_init() < 0 {
        return .failure(CryptoError(code: .libraryInitializationFailed, reason: "sodium_init() failed"))
    }
    return .success(())
}()

/// Makes sure libsodium is initialised before a throwing entry point uses it.
func ensureSodiumInitialized() throws(CryptoError) {
    try sodiumInitialization.get()
}

/// Makes sure libsodium is initialised before a non-throwing entry point uses it.
///
/// Stops the process if libsodium cannot be initialised: running on would use libsodium's
/// unselected implementations or an unseeded random generator.
func ensureSodiumInitializedOrTrap() {
    if case .failure(let error) = sodiumInitialization {
        fatalError("DialogueCrypto: \(error)")
    }
}
