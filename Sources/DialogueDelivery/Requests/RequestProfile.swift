/// The constants of the request-signature profile (Spec: delivery.md#dlv-request).
public enum RequestProfile {
    /// The covered components, exactly these, in this order, without parameters.
    public static let components = ["@method", "@target-uri", "content-digest"]

    /// The value of the required `tag` parameter.
    public static let tag = "dialogue-v1"

    /// The value the optional `alg` parameter must have when present.
    public static let algorithm = "ed25519"

    /// The label a profile signer uses; a verifier accepts any label.
    public static let label = "dlg"

    /// The longest lifetime, `expires − created`, in seconds ([dlv-request-time]).
    public static let maximumLifetime: UInt64 = 300

    /// The accepted clock skew between servers, in seconds ([dlv-request-time]); a nonce is kept
    /// until `expires` plus this ([dlv-request-replay]).
    public static let clockSkew: UInt64 = 60

    /// The longest value of each of the three header fields, in bytes ([dlv-request-verify] step 1).
    public static let maximumFieldLength = 1_024

    /// The header fields of a signed request, in the order step 1 checks them.
    public static let fieldNames = ["signature-input", "signature", "content-digest"]

    /// The parameters a `Signature-Input` member must have; `alg` may be added.
    public static let requiredParameters: Set<String> = ["created", "expires", "nonce", "keyid", "tag"]

    /// Whether `nonce` has 16 to 64 characters from `A-Z a-z 0-9 - _`.
    public static func isNonce(_ nonce: String) -> Bool {
        (16...64).contains(nonce.utf8.count)
            && nonce.utf8.allSatisfy {
                ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d
                    || $0 == 0x5f
            }
    }
}
