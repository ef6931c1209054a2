"""An outside client of dialogued (Spec/delivery.md#dlv-request): requests signed by the PyPI package
http-message-signatures, an RFC 9421 implementation that knows nothing of Dialogue, and sent with
`requests` to a real server on loopback.

The profile asks for nothing a verifier needs that the package cannot express: Ed25519
(`algorithms.ED25519`), the covered components `("@method" "@target-uri" "content-digest")` in that
order, `created`, `expires`, `nonce`, `keyid` (any string: `alice@a.example/key-…`),
`tag="dialogue-v1"`, any label, and a `Content-Digest: sha-256=…` that it computes from the body
(`body=`, the empty string for a body-less request). No work-around was needed.

One difference, which the profile allows: the package writes the parameters in its own order
(created, keyid, alg, expires, nonce, tag) and adds `alg="ed25519"` unless told not to. So it cannot
emit the exact bytes that [dlv-request-sign] asks of a signer "that follows this profile" (created,
expires, nonce, keyid, tag, no `alg`); a verifier takes the parameters in the order received and
`alg` is optional ([dlv-request-verify] step 2), so the server accepts both, as the tests show.

The refused requests below are made with the package too: valid RFC 9421 signatures with a component
or a parameter left out, or requests changed after the package signed them.
"""

import base64
import hashlib
import secrets

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ed25519

import dialogued_harness as harness

EMPTY_DIGEST = "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"  # SHA-256 of no bytes
PROFILE_COMPONENTS = harness.PROFILE_COMPONENTS


def blob_id(content):
    """The text form of a blob identifier (Spec/identifiers.md#id-hash and #id-text)."""
    digest = hashlib.blake2b(b"dialogue-v1/blob\x00" + content, digest_size=32).digest()
    return "blob-" + base64.b32encode(b"\x01" + digest).decode().rstrip("=").lower()


def signed(server, method, path, body=b"", components=PROFILE_COMPONENTS, label="dlg", identity=None, **options):
    """A prepared request for `path` under the base URL, signed as alice (or `identity`) by the package.

    `body=None` signs no digest at all (the package adds the `content-digest` component whenever it is
    given the body); `options` go to `sign` as they are (`tag=None` leaves the tag out)."""
    headers = {"Content-Type": "application/octet-stream"} if body else {}
    request = requests.Request(method, server.url(path), data=body or None, headers=headers).prepare()
    harness.sign(
        request, identity or server.alice, harness.ALICE, body=body, components=components, label=label, **options
    )
    return request


def send(request):
    with requests.Session() as session:
        return session.send(request, timeout=30)


def problem(response):
    """The problem type of a refusal ([dlv-errors]), after checking that it is a problem document."""
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    document = response.json()
    assert document["status"] == response.status_code, document
    prefix = "urn:dialogue:problem:"
    assert document["type"].startswith(prefix), document
    return document["type"][len(prefix):]


def test_signature_input_is_the_profile(server):
    """[dlv-request-sign]: what the package sends has the profile's components, parameters and digest."""
    request = signed(server, "GET", "/inbox")
    assert request.headers["Content-Digest"] == EMPTY_DIGEST
    label, inner = request.headers["Signature-Input"].split("=", 1)
    assert label == "dlg"
    assert inner.startswith('("@method" "@target-uri" "content-digest");created=')
    for parameter in ("expires=", 'nonce="', f'keyid="{harness.ALICE}/key-', 'tag="dialogue-v1"'):
        assert ";" + parameter in inner
    assert request.headers["Signature"].startswith("dlg=:")


def test_user_request_is_accepted(server):
    """[dlv-request-verify], [dlv-ep-inbox]: alice lists her empty inbox; the cursor it returns is taken back."""
    response = send(signed(server, "GET", "/inbox?limit=10"))
    assert response.status_code == 200, response.text
    listing = response.json()
    assert listing["entries"] == []
    again = send(signed(server, "GET", f"/inbox?after={listing['cursor']}&wait=0"))
    assert again.status_code == 200, again.text
    assert again.json()["cursor"] == listing["cursor"]


def test_signed_upload_is_stored(server):
    """[dlv-upload-verify]: a signed PUT with a body is stored (201), a repeat is 200, and it can be fetched."""
    content = b"an outside client's blob " + secrets.token_bytes(16)
    path = "/blobs/" + blob_id(content)
    stored = send(signed(server, "PUT", path, body=content))
    assert stored.status_code == 201, stored.text
    repeated = send(signed(server, "PUT", path, body=content))
    assert repeated.status_code == 200, repeated.text


def test_other_label_and_no_alg_are_accepted(server):
    """The profile takes any label, and `alg` is optional ([dlv-request] table)."""
    request = signed(server, "GET", "/inbox", label="sig1")
    assert request.headers["Signature-Input"].startswith("sig1=")
    assert send(request).status_code == 200
    request = signed(server, "GET", "/inbox", include_alg=False)
    assert "alg=" not in request.headers["Signature-Input"]
    response = send(request)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("missing", PROFILE_COMPONENTS)
def test_a_missing_component_is_malformed(server, missing):
    """[dlv-request-verify] step 2: a valid RFC 9421 signature without one of the three components is `malformed`."""
    components = tuple(c for c in PROFILE_COMPONENTS if c != missing)
    if missing == "content-digest":
        # Signed without a digest, then sent with the field the profile requires, uncovered.
        request = signed(server, "GET", "/inbox", components=components, body=None)
        request.headers["Content-Digest"] = EMPTY_DIGEST
    else:
        request = signed(server, "GET", "/inbox", components=components)
    assert missing not in request.headers["Signature-Input"]
    response = send(request)
    assert response.status_code == 400, response.text
    assert problem(response) == "malformed"


def test_a_missing_parameter_is_malformed(server):
    """[dlv-request-verify] step 2: without `tag` the signature is outside the profile."""
    request = signed(server, "GET", "/inbox", tag=None)
    assert "tag=" not in request.headers["Signature-Input"]
    response = send(request)
    assert response.status_code == 400, response.text
    assert problem(response) == "malformed"


def test_a_tampered_target_is_a_bad_signature(server):
    """[dlv-request-verify] step 6: the query changed after signing, so the signature base differs."""
    request = signed(server, "GET", "/inbox?limit=5")
    request.url = server.url("/inbox?limit=6")
    response = send(request)
    assert response.status_code == 401, response.text
    assert problem(response) == "bad-signature"


def test_a_tampered_signature_is_a_bad_signature(server):
    """[dlv-request-verify] step 6: one bit of the signature flipped."""
    request = signed(server, "GET", "/inbox")
    label, value = request.headers["Signature"].split("=", 1)
    raw = bytearray(base64.b64decode(value.strip(":")))
    raw[0] ^= 1
    request.headers["Signature"] = f"{label}=:{base64.b64encode(bytes(raw)).decode()}:"
    response = send(request)
    assert response.status_code == 401, response.text
    assert problem(response) == "bad-signature"


def test_a_tampered_body_fails_authentication_and_is_not_stored(server):
    """[dlv-request-verify] step 8: the body changed after signing is refused (`authentication-failed`)
    and nothing is stored. [dlv-request-replay]: its signature did verify, so its nonce was recorded at
    step 7, before the digest check: the same request again is `replayed`."""
    content = b"the body the client signed " + secrets.token_bytes(16)
    other = b"the body that was sent instea" + secrets.token_bytes(16)
    path = "/blobs/" + blob_id(other)
    request = signed(server, "PUT", path, body=content)
    request.prepare_body(other, None)
    response = send(request)
    assert response.status_code == 422, response.text
    assert problem(response) == "authentication-failed"
    fetched = requests.get(server.url(path), timeout=30)
    assert fetched.status_code == 404, fetched.text
    assert problem(fetched) == "not-found"
    again = send(request)
    assert again.status_code == 401, again.text
    assert problem(again) == "replayed"


def test_a_replayed_request_is_refused(server):
    """[dlv-request-replay]: the same signed request twice; the second is `replayed`."""
    request = signed(server, "GET", "/inbox")
    assert send(request).status_code == 200
    response = send(request)
    assert response.status_code == 401, response.text
    assert problem(response) == "replayed"


def test_another_key_under_alices_fingerprint_is_a_bad_signature(server):
    """[dlv-request-verify] step 6: a keyid naming alice's key, signed by someone else's key."""
    intruder = harness.Identity(ed25519.Ed25519PrivateKey.generate(), server.alice.fingerprint)
    response = send(signed(server, "GET", "/inbox", identity=intruder))
    assert response.status_code == 401, response.text
    assert problem(response) == "bad-signature"


def test_an_unsigned_request_is_malformed(server):
    """[dlv-request-verify] step 1: no `Signature-Input` at all."""
    response = requests.get(server.url("/inbox"), timeout=30)
    assert response.status_code == 400, response.text
    assert problem(response) == "malformed"


def test_a_digest_of_other_bytes_fails_authentication(server):
    """[dlv-request-verify] step 8: a body-less request whose signed `Content-Digest` is that of some
    bytes: the signature verifies, the digest does not (422 `authentication-failed`, a GET included)."""
    request = requests.Request("GET", server.url("/inbox")).prepare()
    request.headers["Content-Digest"] = "sha-256=:" + base64.b64encode(hashlib.sha256(b"x").digest()).decode() + ":"
    harness.sign(request, server.alice, harness.ALICE, body=None, use_existing_digest=True)
    response = send(request)
    assert response.status_code == 422, response.text
    assert problem(response) == "authentication-failed"
