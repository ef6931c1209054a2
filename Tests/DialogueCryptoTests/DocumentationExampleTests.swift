import DialogueCrypto
import Testing

/// The worked example of `DialogueCrypto.docc/DialogueCrypto.md`, kept compiling and true.
@Suite("Documentation example")
struct DocumentationExampleTests {
    struct Refused: Error {}

    @Test("Wrapping a key for a recipient")
    func wrapping() throws {
        // BEGIN EXAMPLE: DialogueCrypto
        // The recipient's long-term key pair; the sender knows the public half.
        let recipient = X25519.PrivateKey()

        // Sender: a fresh content key, and a fresh ephemeral key pair.
        let contentKey = XChaCha20Poly1305.Key()
        let ephemeral = X25519.PrivateKey()
        let shared = try ephemeral.sharedSecret(with: recipient.publicKey)  // throws on a low-order key
        let salt = ephemeral.publicKey.rawRepresentation + recipient.publicKey.rawRepresentation
        let wrappingKey = try XChaCha20Poly1305.Key(
            rawRepresentation: HKDFSHA256.deriveKey(
                ikm: shared, salt: salt, info: Array("example wrap".utf8), outputByteCount: 32))
        let nonce = XChaCha20Poly1305.Nonce()
        let wrapped = XChaCha20Poly1305.seal(contentKey.rawRepresentation, using: wrappingKey, nonce: nonce)

        // The sender signs the stanza it sends.
        let sender = Ed25519.SigningKey()
        let stanza = ephemeral.publicKey.rawRepresentation + nonce.rawRepresentation + wrapped
        let signature = sender.signature(for: stanza)

        // Recipient: check the signature over the exact bytes received, then unwrap.
        guard sender.publicKey.isValidSignature(signature, for: stanza) else { throw Refused() }
        let theirs = try X25519.PublicKey(rawRepresentation: stanza[0..<32])
        let unwrappingKey = try XChaCha20Poly1305.Key(
            rawRepresentation: HKDFSHA256.deriveKey(
                ikm: recipient.sharedSecret(with: theirs),
                salt: theirs.rawRepresentation + recipient.publicKey.rawRepresentation,
                info: Array("example wrap".utf8), outputByteCount: 32))
        let opened = try XChaCha20Poly1305.open(
            stanza[56...], using: unwrappingKey,
            nonce: XChaCha20Poly1305.Nonce(rawRepresentation: stanza[32..<56]))
        assert(ConstantTime.equals(opened, contentKey.rawRepresentation))
        // END EXAMPLE: DialogueCrypto
        #expect(ConstantTime.equals(opened, contentKey.rawRepresentation))
    }
}
