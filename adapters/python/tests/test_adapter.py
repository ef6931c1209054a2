"""The adapter protocol (Spec/conformance.md#conf-adapter), over a real pipe."""

import json
import os
import subprocess
import sys

from conftest import ADAPTER_DIR


def talk(lines):
    p = subprocess.run([sys.executable, os.path.join(ADAPTER_DIR, "adapter.py")],
                       input="".join(json.dumps(x) + "\n" for x in lines).encode(), capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


def test_protocol():
    out = talk([
        {"type": "hello", "protocol": 1},
        {"type": "request", "id": 1, "operation": "id.hash",
         "input": {"context": "dialogue-v1/blob", "kind": "blob", "data": ""}},
        {"type": "request", "id": 2, "operation": "cbor.decode", "input": {"data": "a2"}},
        {"type": "request", "id": 3, "operation": "trust.verdict", "input": {}},
        {"type": "request", "id": 4, "operation": "card.verify", "input": {}},  # missing field: still one response
        {"type": "request", "id": 5, "operation": "id.parse", "input": {"text": "BLOB-AEI333VOSISE7XMYGRKXMCMCKPS4SXN6YZJLW5VIPTBRJNEK5VU7C", "kind": "blob"}},
    ])
    hello = out[0]
    assert hello["type"] == "hello" and hello["protocol"] == 1
    assert {"cbor.decode", "id.hash", "id.parse", "address.parse", "card.verify", "secret.decode",
            "message.open", "chunk.open", "card.issue", "message.seal",
            "safety.number", "safety.parse", "statement.verify", "trust.replay"} <= set(hello["operations"])
    assert {"cross-check", "error-detail"} <= set(hello["features"])
    assert [r["id"] for r in out[1:]] == [1, 2, 3, 4, 5]
    assert out[1]["output"]["text"] == "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"
    assert out[2]["status"] == "error" and out[2]["error"] == "truncated"
    assert out[3]["status"] == "unsupported"
    assert out[4]["status"] == "error"
    assert out[5]["output"]["binary"].startswith("01")


def test_every_vector_over_the_pipe():
    """Replays every published vector through one adapter process, as the runner would."""
    import pytest
    import test_vectors as tv
    if not tv.VECTORS:
        pytest.skip(f"no Dialogue vector files in {tv.VECTOR_DIR}")
    p = subprocess.Popen([sys.executable, os.path.join(ADAPTER_DIR, "adapter.py")], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    p.stdin.write(json.dumps({"type": "hello", "protocol": 1}) + "\n")
    p.stdin.flush()
    features = set(json.loads(p.stdout.readline())["features"])
    failures = []
    for i, param in enumerate(tv.VECTORS):
        operation, t = param.values
        p.stdin.write(json.dumps({"type": "request", "id": i, "operation": operation, "input": tv.expand(t["input"])})
                      + "\n")
        p.stdin.flush()
        r = json.loads(p.stdout.readline())
        assert r["type"] == "response" and r["id"] == i
        if r["status"] == "unsupported":
            continue
        if t["result"] == "valid" or (t["result"] == "acceptable" and r["status"] == "ok"):
            ok = r["status"] == "ok" and all(r["output"].get(k) == v for k, v in (t.get("expected") or {}).items())
        elif t["result"] == "invalid":
            ok = r["status"] == "error" and r["error"] == t["error"] and \
                ("error-detail" not in features or "detail" not in t or r.get("detail") == t["detail"])
        else:
            ok = True
        if not ok:
            failures.append((t["id"], str(r)[:200]))
    p.stdin.close()
    assert p.wait(timeout=30) == 0
    assert not failures, failures[:10]


def test_trust_operations_over_the_pipe():
    out = talk([
        {"type": "hello", "protocol": 1},
        {"type": "request", "id": 1, "operation": "safety.parse", "input": {"payload": "dialogue-verify:2/a"}},
        {"type": "request", "id": 2, "operation": "trust.replay", "input": {"clock_skew": 600, "events": [
            {"type": "unsigned", "received": 1700000000, "address": "Bob@example.net",
             "message_id": "msg-aer27l7ofmocv5u6k37x7zmeh44nqhy3k2sqp3kvgs6xtawmltfzk"},
            {"type": "decision", "received": 1700000001, "decision": "withdraw", "address": "bob@example.net"}]}},
        {"type": "request", "id": 3, "operation": "statement.verify", "input": {"statement": "82"}},
    ])
    assert out[1]["status"] == "error" and out[1]["error"] == "malformed"
    assert out[2]["output"] == {"results": [
        {"verdict": "unsigned", "severity": "notice", "duplicate": False, "statements": []},
        {"decision": "unknown-address"}]}
    assert out[3]["status"] == "error" and out[3]["error"] == "malformed"


def test_delivery_operations_over_the_pipe():
    """The six operations of conformance.md "Delivery operations", declared in the hello,
    and an error that names its step and anchor, so that a failing vector is easy to read."""
    import dlv_build as b
    sign = {"method": "POST", "target_uri": "https://mail.example.net/dialogue/v1/notifications", "body": "",
            "keyid": "example.org/srv-" + "a" * 53, "signing_seed": "11" * 32, "created": 1, "expires": 301,
            "nonce": "AAECAwQFBgcICQoLDA0ODw"}
    out = talk([
        {"type": "hello", "protocol": 1},
        {"type": "request", "id": 1, "operation": "server-document.verify",
         "input": {"document": b.document().hex(), "domain": "example.org", "now": b.NOW, "allow_http": False}},
        {"type": "request", "id": 2, "operation": "ack.verify",
         "input": {"ack": b.ack().hex()[:-2], "now": b.NOW, "delivery": {
             "sender": "alice@example.org", "recipient": "bob@example.net",
             "envelope": "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c",
             "fingerprint": "key-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"}}},
        {"type": "request", "id": 3, "operation": "request.sign", "input": sign},
        {"type": "request", "id": 4, "operation": "request.verify", "input": {
            "method": "POST", "target_uri": "https://x.example/", "headers": [], "body": "", "now": 0,
            "users": [], "servers": [], "seen_nonces": []}},
    ])
    assert {"server-document.verify", "submission.verify", "notification.verify", "ack.verify",
            "request.verify", "request.sign"} <= set(out[0]["operations"])
    assert out[1]["output"]["domain"] == "example.org"
    assert out[2]["error"] == "malformed" and out[2]["message"].startswith("[dlv-ack-verify] step 2:")
    assert out[3]["status"] == "error" and "dlv-request-keyid" in out[3]["message"]   # not a srv text form
    assert out[4]["error"] == "malformed" and out[4]["message"].startswith("[dlv-request-verify] step 1:")
