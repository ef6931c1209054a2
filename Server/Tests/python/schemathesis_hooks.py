"""schemathesis hooks for Spec/openapi.json (loaded through SCHEMATHESIS_HOOKS).

A CBOR request body is declared as the signed object's exact bytes (`type: string, format: binary`):
schemathesis sends such bytes for `application/octet-stream` and has no serializer of its own for
`application/cbor`, so the CBOR bodies are sent as the same raw bytes. (They never decode as a valid
signed object, which is fine: they are refused, and the refusal is what is checked.)

With DIALOGUE_SIGN_IDENTITY (a plain secret identity file), DIALOGUE_SIGN_FINGERPRINT and
DIALOGUE_SIGN_ADDRESS set, every request to an operation that the document marks as signed
(`x-dialogue-signed` other than "none") is signed as that user just before it is sent, by
http-message-signatures over the exact URL and body bytes that go on the wire (a `requests` auth
callable sees the prepared request). The generated values of the three signature headers are
replaced. Then the server gets past the signature and answers the generated query, path and body
themselves. Signed, `GET /inbox?wait=N` is held for up to N seconds ([dlv-inbox-wait]) and its inbox
stays empty: the hook sends `wait=0` instead, so that a bounded run is not spent waiting.
"""

import os

import schemathesis

from dialogued_harness import Identity, sign

schemathesis.serializer.alias("application/cbor", "application/octet-stream")

_SIGNATURE_FIELDS = ("signature-input", "signature", "content-digest")


class _SignAs:
    """A `requests` auth callable: signs the prepared request as one user."""

    def __init__(self, identity, address):
        self.identity = identity
        self.address = address

    def __call__(self, request):
        for name in [name for name in request.headers if name.lower() in _SIGNATURE_FIELDS]:
            del request.headers[name]
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        sign(request, self.identity, self.address, body=body)
        return request


_signer = None
if os.environ.get("DIALOGUE_SIGN_IDENTITY"):
    _signer = _SignAs(
        Identity.read(os.environ["DIALOGUE_SIGN_IDENTITY"], os.environ["DIALOGUE_SIGN_FINGERPRINT"]),
        os.environ["DIALOGUE_SIGN_ADDRESS"],
    )


@schemathesis.hook
def before_call(context, case, kwargs):
    if _signer is not None and case.operation.definition.raw.get("x-dialogue-signed", "none") != "none":
        kwargs["auth"] = _signer


@schemathesis.hook
def map_query(context, query):
    if _signer is not None and isinstance(query, dict) and "wait" in query:
        query["wait"] = 0
    return query
