import DialogueCrypto
import Testing

@Suite("XChaCha20-Poly1305 API")
struct AEADTests {
    let key = XChaCha20Poly1305.Key()
    let nonce = XChaCha20Poly1305.Nonce()
    let aad = Array("header".utf8)

    @Test("An empty plaintext seals to a lone tag and opens, in every form")
    func emptyPlaintext() throws {
        let sealed = XChaCha20Poly1305.seal([UInt8](), using: key, nonce: nonce)
        #expect(sealed.count == 16)
        #expect(try XChaCha20Poly1305.open(sealed, using: key, nonce: nonce) == [])

        var output = [UInt8](repeating: 0, count: 16)
        let written = try output.withUnsafeMutableBytes { output in
            try XChaCha20Poly1305.seal(
                UnsafeRawBufferPointer(start: nil, count: 0), into: output, using: key, nonce: nonce)
        }
        #expect(written == 16 && output == sealed)
        let opened = try sealed.withUnsafeBytes { sealed in
            try XChaCha20Poly1305.open(
                sealed, into: UnsafeMutableRawBufferPointer(start: nil, count: 0), using: key, nonce: nonce)
        }
        #expect(opened == 0)

        var buffer = [UInt8]()
        XChaCha20Poly1305.sealInPlace(&buffer, using: key, nonce: nonce)
        #expect(buffer == sealed)
        try XChaCha20Poly1305.openInPlace(&buffer, using: key, nonce: nonce)
        #expect(buffer.isEmpty)
    }

    @Test("seal(into:) in place, sealInPlace and sealDetached give the array form's bytes")
    func sealForms() throws {
        let plaintext = SecureRandom.bytes(count: 1000)
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(sealed.count == 1016)

        var buffer = plaintext + [UInt8](repeating: 0, count: 16)
        let written = try buffer.withUnsafeMutableBytes { buffer in
            try aad.withUnsafeBytes { aad in
                try XChaCha20Poly1305.seal(
                    UnsafeRawBufferPointer(rebasing: buffer.prefix(1000)), into: buffer,
                    using: key, nonce: nonce, authenticating: aad
                )
            }
        }
        #expect(written == 1016 && buffer == sealed)

        var array = plaintext
        array.reserveCapacity(array.count + 16)
        XChaCha20Poly1305.sealInPlace(&array, using: key, nonce: nonce, authenticating: aad)
        #expect(array == sealed)

        var detached = plaintext
        var tag = [UInt8](repeating: 0, count: 16)
        try detached.withUnsafeMutableBytes { buffer in
            try tag.withUnsafeMutableBytes { tag in
                try aad.withUnsafeBytes { aad in
                    try XChaCha20Poly1305.sealDetached(
                        inPlace: buffer, tag: tag, using: key, nonce: nonce, authenticating: aad)
                }
            }
        }
        #expect(detached + tag == sealed)
        #expect(try AEADWycheproofTests.openWithBufferForms(sealed, key: key, nonce: nonce, aad: aad) == plaintext)
    }

    @Test("Any change to ciphertext, tag, aad, nonce or key fails authentication")
    func tampering() throws {
        let plaintext = Array("attack at dawn".utf8)
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x80
            #expect(throws: CryptoError(code: .authenticationFailed)) {
                try XChaCha20Poly1305.open(altered, using: key, nonce: nonce, authenticating: aad)
            }
        }
        #expect(throws: CryptoError(code: .authenticationFailed)) {
            try XChaCha20Poly1305.open(sealed, using: key, nonce: nonce, authenticating: Array("Header".utf8))
        }
        #expect(throws: CryptoError(code: .authenticationFailed)) {
            try XChaCha20Poly1305.open(sealed, using: key, nonce: nonce)
        }
        #expect(throws: CryptoError(code: .authenticationFailed)) {
            try XChaCha20Poly1305.open(sealed, using: key, nonce: XChaCha20Poly1305.Nonce(), authenticating: aad)
        }
        #expect(throws: CryptoError(code: .authenticationFailed)) {
            try XChaCha20Poly1305.open(sealed, using: XChaCha20Poly1305.Key(), nonce: nonce, authenticating: aad)
        }
        // In place, a failure zeroes the ciphertext part and keeps the length.
        var buffer = sealed
        buffer[0] ^= 1
        #expect(throws: CryptoError(code: .authenticationFailed)) {
            try XChaCha20Poly1305.openInPlace(&buffer, using: key, nonce: nonce, authenticating: aad)
        }
        #expect(buffer.count == sealed.count)
        #expect(buffer.prefix(plaintext.count).allSatisfy { $0 == 0 })
    }

    @Test("Lengths are checked before any decryption")
    func lengthChecks() throws {
        for count in 0..<16 {
            #expect(throws: CryptoError(code: .invalidCiphertextLength)) {
                try XChaCha20Poly1305.open([UInt8](repeating: 0, count: count), using: key, nonce: nonce)
            }
            var buffer = [UInt8](repeating: 0, count: count)
            #expect(throws: CryptoError(code: .invalidCiphertextLength)) {
                try XChaCha20Poly1305.openInPlace(&buffer, using: key, nonce: nonce)
            }
        }
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try XChaCha20Poly1305.Key(rawRepresentation: [UInt8](repeating: 0, count: 31))
        }
        #expect(throws: CryptoError(code: .invalidNonceLength)) {
            try XChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 12))
        }
        #expect(throws: CryptoError(code: .invalidNonceLength)) {
            try ChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 24))
        }

        let plaintext = [UInt8](repeating: 7, count: 64)
        var small = [UInt8](repeating: 0, count: 79)
        #expect(throws: CryptoError(code: .outputBufferTooSmall)) {
            try plaintext.withUnsafeBytes { plaintext in
                try small.withUnsafeMutableBytes { output in
                    try XChaCha20Poly1305.seal(plaintext, into: output, using: key, nonce: nonce)
                }
            }
        }
        var tag = [UInt8](repeating: 0, count: 15)
        var message = plaintext
        #expect(throws: CryptoError(code: .invalidTagLength)) {
            try message.withUnsafeMutableBytes { buffer in
                try tag.withUnsafeMutableBytes { tag in
                    try XChaCha20Poly1305.sealDetached(inPlace: buffer, tag: tag, using: key, nonce: nonce)
                }
            }
        }
    }

    @Test("Partly overlapping input and output are refused")
    func overlap() throws {
        var buffer = [UInt8](repeating: 1, count: 100)
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try buffer.withUnsafeMutableBytes { buffer in
                try XChaCha20Poly1305.seal(
                    UnsafeRawBufferPointer(rebasing: buffer[0..<50]),
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[1..<100]),
                    using: key, nonce: nonce
                )
            }
        }
        #expect(throws: CryptoError(code: .invalidParameter)) {
            try buffer.withUnsafeMutableBytes { buffer in
                try XChaCha20Poly1305.sealDetached(
                    inPlace: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<50]),
                    tag: UnsafeMutableRawBufferPointer(rebasing: buffer[40..<56]),
                    using: key, nonce: nonce
                )
            }
        }
    }

    @Test("Nonces keep their bytes; keys keep theirs")
    func values() throws {
        let bytes = Array(0..<24).map(UInt8.init)
        let nonce = try XChaCha20Poly1305.Nonce(rawRepresentation: bytes)
        #expect(nonce.rawRepresentation == bytes)
        #expect(nonce == (try XChaCha20Poly1305.Nonce(rawRepresentation: bytes)))
        #expect(nonce != XChaCha20Poly1305.Nonce())
        let short = try ChaCha20Poly1305.Nonce(rawRepresentation: bytes.prefix(12))
        #expect(short.rawRepresentation == Array(bytes.prefix(12)))
        let key = try XChaCha20Poly1305.Key(rawRepresentation: bytes + bytes.prefix(8))
        #expect(Array(key.rawRepresentation) == bytes + bytes.prefix(8))
    }
}
