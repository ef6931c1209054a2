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
            "message.open", "chunk.open", "card.issue", "message.seal"} <= set(hello["operations"])
    assert {"cross-check", "error-detail"} <= set(hello["features"])
    assert [r["id"] for r in out[1:]] == [1, 2, 3, 4, 5]
    assert out[1]["output"]["text"] == "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"
    assert out[2]["status"] == "error" and out[2]["error"] == "truncated"
    assert out[3]["status"] == "unsupported"
    assert out[4]["status"] == "error"
    assert out[5]["output"]["binary"].startswith("01")
