"""The primitives of Spec/primitives.md, on PyNaCl (libsodium) and the Python standard library."""

import hashlib
import hmac

import nacl.bindings as sodium
import nacl.exceptions


class CryptoFailure(Exception):
    """A primitive refused (bad tag, bad signature, all-zero shared secret)."""


# ---------------------------------------------------------------- Ed25519 [prim-ed25519]

def ed25519_public_key(seed: bytes) -> bytes:
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    pk, _sk = sodium.crypto_sign_seed_keypair(seed)
    return pk


def ed25519_sign(seed: bytes, message: bytes) -> bytes:
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    _pk, sk = sodium.crypto_sign_seed_keypair(seed)
    signed = sodium.crypto_sign(message, sk)
    return signed[:64]


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """libsodium's strict verification [prim-ed25519-strict]."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        sodium.crypto_sign_open(signature + message, public_key)
        return True
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError, ValueError):
        return False


# ---------------------------------------------------------------- X25519 [prim-x25519]

def x25519_base(private: bytes) -> bytes:
    if len(private) != 32:
        raise ValueError("an X25519 private key is 32 bytes")
    return sodium.crypto_scalarmult_base(private)


def x25519(private: bytes, public: bytes) -> bytes:
    """The shared secret; raises CryptoFailure when it is all zero [prim-x25519-zero]."""
    if len(private) != 32 or len(public) != 32:
        raise ValueError("X25519 keys are 32 bytes")
    try:
        shared = sodium.crypto_scalarmult(private, public)
    except Exception:  # libsodium returns -1 for the all-zero output
        raise CryptoFailure("all-zero X25519 shared secret") from None
    if hmac.compare_digest(shared, bytes(32)):
        raise CryptoFailure("all-zero X25519 shared secret")
    return shared


# ---------------------------------------------------------------- XChaCha20-Poly1305 [prim-aead]

def aead_seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    if len(key) != 32 or len(nonce) != 24:
        raise ValueError("XChaCha20-Poly1305 key 32 bytes, nonce 24 bytes")
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad or None, nonce, key)


def aead_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """Open, or raise CryptoFailure; lengths checked first [prim-aead-open]."""
    if len(key) != 32 or len(nonce) != 24 or len(sealed) < 16:
        raise CryptoFailure("bad AEAD input lengths")
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, aad or None, nonce, key)
    except Exception:
        raise CryptoFailure("AEAD authentication failed") from None


# ---------------------------------------------------------------- BLAKE2b [prim-blake2b]

def blake2b(data: bytes, outlen: int = 32) -> bytes:
    if not 16 <= outlen <= 64:
        raise ValueError("BLAKE2b output is 16 to 64 bytes")
    return hashlib.blake2b(data, digest_size=outlen).digest()


def hash_under(context: str, content: bytes) -> bytes:
    """BLAKE2b-256(ctx || 0x00 || content) [id-hash]."""
    return blake2b(context.encode("ascii") + b"\x00" + content, 32)


def sign_under(seed: bytes, context: str, payload: bytes) -> bytes:
    return ed25519_sign(seed, context.encode("ascii") + b"\x00" + payload)


def verify_under(public_key: bytes, context: str, payload: bytes, signature: bytes) -> bool:
    return ed25519_verify(public_key, context.encode("ascii") + b"\x00" + payload, signature)


# ---------------------------------------------------------------- HMAC / HKDF [prim-hmac] [prim-hkdf]

def hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    if length < 0 or length > 255 * 32:
        raise ValueError("HKDF-SHA-256 output is at most 8160 bytes")
    prk = hmac_sha256(salt, ikm)
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac_sha256(prk, t + info + bytes([i]))
        okm += t
        i += 1
    return okm[:length]


# ---------------------------------------------------------------- Argon2id [prim-argon2id]

def argon2id(passphrase: bytes, salt: bytes, opslimit: int, memlimit: int, outlen: int = 32) -> bytes:
    if len(salt) != 16 or opslimit < 1 or memlimit < 8192 or outlen < 16:
        raise ValueError("Argon2id parameters out of range")
    return sodium.crypto_pwhash_alg(outlen, passphrase, salt, opslimit, memlimit,
                                    sodium.crypto_pwhash_ALG_ARGON2ID13)
