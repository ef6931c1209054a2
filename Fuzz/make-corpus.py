#!/usr/bin/env python3
"""Regenerates the seed corpora, the contexts and the dictionaries of the fuzz targets from the
published vectors (TestVectors/*.json), valid and invalid inputs alike.

    python3 Fuzz/make-corpus.py

For a target built on a conformance operation, the corpus file of a vector is its input's
fuzzed field (the object's bytes, or the text), preceded by one byte that picks the rest of the
input, the vector's context, from Fuzz/contexts/TARGET.json; a target with one context has no
such byte. Request vectors become the text form DialogueFuzzSupport reads: the method, a space
and the target URI on the first line, a `name:value` line per header field, an empty line, the
body. The corpus of `cbor` also keeps the hand-made cases of Fuzz/corpus/cbor-extra/.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VECTORS = os.path.join(ROOT, "TestVectors")

# target: (vector file, operation's fuzzed field, form). Keep in step with FuzzTarget.swift.
TARGETS = {
    "cbor": ("cbor_decode", "data", "hex"),
    "id-parse": ("id_parse", "text", "text"),
    "address": ("address_parse", "text", "text"),
    "card": ("card_verify", "card", "hex"),
    "secret": ("secret_decode", "file", "hex"),
    "envelope": ("message_open", "envelope", "hex"),
    "chunk": ("chunk_open", "blob", "hex"),
    "safety-parse": ("safety_parse", "payload", "text"),
    "statement": ("statement_verify", "statement", "hex"),
    "server-document": ("server_document_verify", "document", "hex"),
    "submission": ("submission_verify", "submission", "hex"),
    "notification": ("notification_verify", "notification", "hex"),
    "ack": ("ack_verify", "ack", "hex"),
    "request": ("request_verify", None, "request"),
    "list-descriptor": ("list_descriptor_verify", "descriptor", "hex"),
    "list-event": ("list_event_verify", "event", "hex"),
    "list-keys": ("list_keys_verify", "keys", "hex"),
    "list-post": ("list_post_verify", "post", "hex"),
    "list-entry": ("list_entry_verify", "entry", "hex"),
}

# Targets on library parsers that have no conformance operation: their corpus is taken from
# the fields of other vectors.
EXTRA = ["structured-field", "content-digest", "card-response", "peers-file", "http", "http-wire"]

MAX_SEED = 65536  # libFuzzer's -max_len in run-fuzzer.sh


def contexts_registry():
    text = open(os.path.join(ROOT, "Sources/DialogueIdentifiers/DomainContext.swift")).read()
    return sorted(set(re.findall(r'DomainContext\("([^"]+)"\)', text)))


def kind_prefixes():
    text = open(os.path.join(ROOT, "Sources/DialogueIdentifiers/IdentifierKind.swift")).read()
    return sorted(set(re.findall(r'"([a-z]+)-?"', text)))


def request_text(inp):
    lines = [f"{inp['method']} {inp['target_uri']}"]
    for name, value in inp["headers"]:
        if "\n" in name or ":" in name or "\n" in value:
            return None
        lines.append(f"{name}:{value}")
    body = bytes.fromhex(inp["body"]) if isinstance(inp["body"], str) else None
    if body is None:
        return None
    return ("\n".join(lines) + "\n\n").encode() + body


def payload(inp, field, form):
    if form == "request":
        return request_text(inp)
    value = inp.get(field)
    if not isinstance(value, str):
        return None  # a compact byte string (conf-compact-bytes): megabytes, beyond -max_len
    if form == "hex":
        try:
            return bytes.fromhex(value)
        except ValueError:
            return None
    return value.encode()


def load(name):
    with open(os.path.join(VECTORS, name + ".json")) as f:
        return json.load(f)


def tests(name):
    for group in load(name)["testGroups"]:
        for test in group["tests"]:
            yield test


def write_corpus(target, seeds):
    out = os.path.join(HERE, "corpus", target)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, data in seeds:
        if len(data) <= MAX_SEED:
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)


def quote(token: bytes) -> str:
    out = []
    for b in token:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C):
            out.append(chr(b))
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'


def read_corpus(target):
    directory = os.path.join(HERE, "corpus", target)
    return [(n, open(os.path.join(directory, n), "rb").read()) for n in sorted(os.listdir(directory))]


def wire_request(text):
    """A request in RequestText's form (Sources/DialogueFuzzSupport/RequestText.swift) as HTTP/1.1
    bytes: origin-form target, a Host field, the fields as given and the body's true length; None
    for a text that is no request."""
    lines, _, body = text.partition(b"\n\n")
    lines = lines.split(b"\n")
    method, _, target = lines[0].partition(b" ")
    if not method or not target:
        return None
    target = target.removeprefix(b"https://mail.example.org")
    fields = [line.partition(b":") for line in lines[1:] if line]
    head = [method + b" " + target + b" HTTP/1.1", b"host: mail.example.org"]
    head += [name + b": " + value for name, _, value in fields if name.lower() != b"content-length"]
    if body or method in (b"POST", b"PUT"):
        head.append(b"content-length: " + str(len(body)).encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def write_dictionary(target, tokens):
    os.makedirs(os.path.join(HERE, "dictionaries"), exist_ok=True)
    unique = sorted(set(t for t in tokens if t and len(t) <= 64))
    with open(os.path.join(HERE, "dictionaries", target + ".dict"), "w") as f:
        f.write(f"# {target}: generated by Fuzz/make-corpus.py; do not edit.\n")
        for token in unique:
            f.write(quote(token) + "\n")


def cbor_head(major, n):
    t = major << 5
    if n < 24:
        return bytes([t | n])
    if n < 256:
        return bytes([t | 24, n])
    if n < 65536:
        return bytes([t | 25]) + n.to_bytes(2, "big")
    return bytes([t | 26]) + n.to_bytes(4, "big")


def cbor_tokens():
    """Map keys 0 to 15 with the version 1, the byte-string heads of keys, signatures and
    identifiers, and every registry context string as CBOR text and as bytes."""
    tokens = [cbor_head(0, k) for k in range(24)]
    tokens += [cbor_head(2, n) for n in (0, 32, 33, 64, 65)]
    tokens += [cbor_head(5, n) + b"\x00\x01" for n in range(1, 16)]
    tokens += [cbor_head(4, n) for n in (1, 2, 3)]
    tokens += [b"\xf4", b"\xf5", b"\xf6", b"\xff", b"\x9f", b"\xbf", b"\x1b\xff\xff\xff\xff\xff\xff\xff\xff"]
    for ctx in contexts_registry():
        tokens += [ctx.encode(), cbor_head(3, len(ctx)) + ctx.encode()]
    return tokens


TEXT_TOKENS = [b"@", b".", b"-", b"+", b"/", b":", b"%", b"xn--", b"example.org", b"alice", b"\xc3\xa9",
               b"\xef\xbc\xa0", b"\xe2\x80\x8b", b" ", b"\t", b"localhost", b"127.0.0.1", b"[::1]"]
SFV_TOKENS = [b"=", b";", b",", b"(", b")", b'"', b":", b"=:", b"sha-256", b"sha-512", b"sig", b"dlg",
              b"keyid", b"created", b"expires", b"nonce", b"alg", b"tag", b'"@method"', b'"@target-uri"',
              b'"content-digest"', b'"@authority"', b"ed25519", b'"dialogue"', b"*", b"?1", b"1.5", b"-1",
              b"AAAA", b"====", b" ", b"\t"]


def main():
    kinds = [k.encode() + b"-" for k in kind_prefixes()]
    sfv_fields, digests, cards, statements = [], [], [], []
    for target, (file, field, form) in TARGETS.items():
        contexts, seeds, tokens = [], [], []
        for test in tests(file):
            inp = dict(test["input"])
            data = payload(inp, field, form)
            if data is None:
                continue
            if form == "request":
                context = {k: v for k, v in inp.items() if k not in ("method", "target_uri", "headers", "body")}
                for name, value in inp["headers"]:
                    tokens += [name.encode() + b":", value.encode()]
                    if name.lower() in ("signature-input", "signature", "content-digest"):
                        sfv_fields.append((test["id"], value.encode()))
                    if name.lower() == "content-digest":
                        digests.append((test["id"], value.encode()))
            else:
                context = {k: v for k, v in inp.items() if k != field}
                if form == "text":
                    tokens.append(data)
            key = json.dumps(context, sort_keys=True)
            seeds.append((test["id"], data, key, test["result"] == "valid"))
            if target == "card":
                cards.append(data)
            if target == "statement" and test["result"] == "valid":
                statements.append(data)
        # Only the contexts of valid vectors: an invalid vector's context may be the fault itself
        # (a 31-byte secret, say), and the fuzzer holds the object, not the request, to account.
        # The seeds of the other vectors run under the first context.
        for _, _, key, valid in seeds:
            if valid and key not in contexts:
                contexts.append(key)
        seeds = [(name, data, contexts.index(key) if key in contexts else 0) for name, data, key, _ in seeds]
        if len(contexts) > 256:
            sys.exit(f"{target}: {len(contexts)} contexts, more than one byte picks")
        prefixed = len(contexts) > 1
        corpus = [(name, (bytes([index]) if prefixed else b"") + data) for name, data, index in seeds]
        if target == "cbor":
            extra = os.path.join(HERE, "corpus-extra", "cbor")
            corpus += [(n, open(os.path.join(extra, n), "rb").read()) for n in sorted(os.listdir(extra))]
        write_corpus(target, corpus)
        os.makedirs(os.path.join(HERE, "contexts"), exist_ok=True)
        with open(os.path.join(HERE, "contexts", target + ".json"), "w") as f:
            json.dump({"operation": load(file)["operation"], "field": field, "form": form,
                       "contexts": [json.loads(c) for c in contexts]}, f, indent=1, sort_keys=True)
            f.write("\n")
        base = cbor_tokens() if form == "hex" else TEXT_TOKENS + kinds
        if form == "request":
            base = TEXT_TOKENS + SFV_TOKENS + [b"POST ", b"GET ", b"https://", b"\n", b"\n\n"]
        if target in ("safety-parse",):
            base += [b"dialogue-verify:1/", b"key-"]
        write_dictionary(target, base + tokens)
        print(f"{target}: {len(corpus)} seeds, {len(contexts)} contexts")
        if target == "request":
            request_corpus, request_tokens = corpus, base + tokens

    # The parsers without an operation of their own.
    write_corpus("structured-field", sfv_fields)
    write_dictionary("structured-field", SFV_TOKENS)
    write_corpus("content-digest", digests)
    write_dictionary("content-digest", SFV_TOKENS)
    responses = []
    for i, card in enumerate(cards):
        # {0: bstr card, 1: [bstr statement...]}: the card response of delivery.md#dlv-card-response,
        # with every card of card_verify.json, valid and not, and up to three valid statements.
        body = cbor_head(2, len(card)) + card
        picked = statements[: i % 4]
        stmts = cbor_head(4, len(picked)) + b"".join(cbor_head(2, len(s)) + s for s in picked)
        responses.append((f"card-response-{i:04d}", cbor_head(5, 2) + b"\x00" + body + b"\x01" + stmts))
    write_corpus("card-response", responses)
    write_dictionary("card-response", cbor_tokens())
    peers = open(os.path.join(HERE, "corpus-extra", "peers-file.txt"), "rb").read().split(b"\n----\n")
    write_corpus("peers-file", [(f"peers-{i:02d}", p) for i, p in enumerate(peers)])
    write_dictionary("peers-file", TEXT_TOKENS + kinds + [b"https://", b"http://", b"#", b"\n", b"srv-"])
    # dialogued's HTTP surface (DialogueHTTPFuzzer): the signed requests of request_verify.json,
    # which reach the routes behind the signature check under their own contexts, and a request
    # per route, unsigned, under the first context.
    routes = open(os.path.join(HERE, "corpus-extra", "http.txt"), "rb").read().split(b"\n----\n")
    write_corpus("http", request_corpus + [(f"route-{i:02d}", b"\x00" + r) for i, r in enumerate(routes)])
    write_dictionary("http", request_tokens + [b"/dialogue/v1/", b"/.well-known/dialogue-server", b"blobs/",
                                               b"submissions", b"notifications", b"acknowledgements", b"inbox",
                                               b"/keep", b"/acknowledge", b"cards/", b"server", b"HEAD ",
                                               b"PUT ", b"DELETE ", b"range:", b"bytes=", b"?after=", b"&wait=",
                                               b"limit=", b"c-", b"blob-", b"sub-", b"%2e", b"//"])
    # The same requests as one connection's bytes (the http-wire target): HTTP/1.1 with a Host and a
    # true Content-Length, and connections that pipeline, chunk, close or stop being HTTP.
    # The blob the fuzz server holds live (WireChecks.liveBlob): `hello`, under its identifier
    # ([id-hash]: 0x01 and BLAKE2b-256 of the context, a zero byte and the content).
    digest = bytes([1]) + hashlib.blake2b(b"dialogue-v1/blob\x00hello", digest_size=32).digest()
    live = b"/dialogue/v1/blobs/blob-" + base64.b32encode(digest).lower().rstrip(b"=")
    fetch = b"GET " + live + b" HTTP/1.1\r\nhost: mail.example.org\r\n\r\n"
    head = b"HEAD " + live + b" HTTP/1.1\r\nhost: mail.example.org\r\n\r\n"
    connections = [
        ("live-fetches", fetch + head + fetch),
        ("live-then-range", fetch + b"GET " + live + b" HTTP/1.1\r\nhost: x\r\nrange: bytes=1-3\r\n\r\n" + head),
        ("close-midway", fetch + b"GET /health HTTP/1.1\r\nconnection: close\r\n\r\n" + fetch),
        ("http-1.0", b"GET " + live + b" HTTP/1.0\r\n\r\n"),
        # Finding 7 (open): an HTTP/1.0 request without keep-alive, then more bytes.
        ("http-1.0-then-more", b"GET /health HTTP/1.0\r\n\r\nGET /health HTTP/1.0\r\n\r\n"),
        ("chunked-upload", b"PUT " + live + b" HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
                           b"3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n" + fetch),
        ("expect-continue", b"POST /dialogue/v1/submissions HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n"
                            b"content-length: 4\r\n\r\nabcd"),
        ("not-http", fetch + b"\x00\x01 garbage\r\n\r\n"),
        ("cut-head", fetch + b"GET /health HTTP/1.1\r\nhost"),
        ("cut-body", b"PUT " + live + b" HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nhel"),
    ]
    wire = []
    for name, data in read_corpus("http"):
        request = wire_request(data[1:])
        if request is not None:
            wire.append((name, data[:1] + request))
    wire += [(f"connection-{name}", b"\x00" + data) for name, data in connections]
    write_corpus("http-wire", wire)
    write_dictionary("http-wire", request_tokens + [b" HTTP/1.1\r\n", b"\r\n", b"\r\n\r\n", b"host: ",
                                                    b"content-length: ", b"transfer-encoding: chunked",
                                                    b"connection: close", b"expect: 100-continue", b"HTTP/1.0",
                                                    b"HEAD ", b"PUT ", b"DELETE ", b"OPTIONS ", b"0\r\n\r\n",
                                                    live, b"/health", b"range: bytes="])
    for target in EXTRA:
        print(f"{target}: {len(os.listdir(os.path.join(HERE, 'corpus', target)))} seeds")


if __name__ == "__main__":
    main()
