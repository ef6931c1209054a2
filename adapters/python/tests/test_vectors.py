"""Replays the published Dialogue vectors (Spec/conformance.md#conf-vectors) through the
adapter's operations, in process, one pytest case per vector.

The vector folder is $DIALOGUE_VECTORS, or else the repository's TestVectors/. Vectors of
operations the adapter does not implement, or answered `unsupported`, are skipped.
"""

import glob
import json
import os

import pytest

from conftest import REPO
from dialogue_py import ops

VECTOR_DIR = os.environ.get("DIALOGUE_VECTORS") or os.path.join(REPO, "TestVectors")


def load():
    out = []
    for path in sorted(glob.glob(os.path.join(VECTOR_DIR, "*.json"))):
        try:
            doc = json.load(open(path))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(doc, dict) or not str(doc.get("format", "")).startswith("dialogue-test-vectors/"):
            continue
        for group in doc.get("testGroups", []):
            for t in group.get("tests", []):
                out.append(pytest.param(doc["operation"], t, id=t.get("id", "?")))
    return out


VECTORS = load()
CROSS_CHECKS = [pytest.param(p.values[0], p.values[1], id=p.values[1]["id"] + "/cross-check-self")
                for p in VECTORS if p.values[0] == "message.seal" and "cross_check" in p.values[1]
                and p.values[1]["result"] == "valid"]


def expand(value):
    """Replaces every compact byte string {"concat": [piece, ...]} of an input by its hex
    string; a piece is a hex string or {"hex": h, "times": n} ([conf-compact-bytes])."""
    if isinstance(value, dict):
        if list(value) == ["concat"] and isinstance(value["concat"], list):
            return "".join(p if isinstance(p, str) else p["hex"] * p["times"] for p in value["concat"])
        return {k: expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


def check(operation, t):
    """Returns (verdict, explanation); verdict is 'pass', 'fail' or 'skip'."""
    response = ops.run(operation, expand(t["input"]))
    status = response["status"]
    if status == "unsupported":
        return "skip", "unsupported"
    result = t["result"]
    if status == "ok":
        if result == "invalid":
            return "fail", f"expected error {t.get('error')}, got success"
        out = response["output"]
        wrong = {k: (v, out.get(k, "<absent>")) for k, v in (t.get("expected") or {}).items() if out.get(k) != v}
        if wrong:
            return "fail", f"outputs differ (expected, actual): {wrong}"
        if operation == "message.seal" and t["input"].get("randomness") is None:
            return "skip", "cross-check vectors need the reference opener"
        return "pass", ""
    # error
    if result == "valid":
        return "fail", f"expected success, got {response.get('error')}: {response.get('message')}"
    if result == "acceptable":
        return "pass", ""
    if response["error"] != t.get("error"):
        return "fail", f"expected error {t.get('error')}, got {response['error']}: {response.get('message')}"
    if "error-detail" in ops.FEATURES and "detail" in t and response.get("detail") != t["detail"]:
        return "fail", f"expected detail {t['detail']}, got {response.get('detail')}: {response.get('message')}"
    return "pass", ""


@pytest.mark.skipif(not VECTORS, reason=f"no Dialogue vector files in {VECTOR_DIR}")
@pytest.mark.parametrize("operation,t", VECTORS or [pytest.param(None, None, id="none")])
def test_vector(operation, t):
    verdict, why = check(operation, t)
    if verdict == "skip":
        pytest.skip(why)
    assert verdict == "pass", f"{t['id']} ({', '.join(t.get('spec', []))}): {why}"


def self_cross_check(t):
    """Seal with randomness null and open the result as every recipient of `cross_check`
    with this implementation (the runner does the same with the reference opener): the primary
    envelope as each visible recipient, each blind copy as its own bcc recipient
    (conformance.md, message.seal)."""
    inp = dict(t["input"], randomness=None)
    r = ops.run("message.seal", inp)
    assert r["status"] == "ok", r
    sealed = r["output"]
    visible = [x for x in inp["recipients"] if x["role"] != "bcc"]
    blind = [x for x in inp["recipients"] if x["role"] == "bcc"]
    copies = sealed.get("blind_copies", [])
    assert len(copies) == len(blind)
    if blind and not visible and inp["mode"] == "encrypted":
        assert (sealed["envelope"], sealed["message_id"]) == (copies[0]["envelope"], copies[0]["message_id"])
    openings = [(sealed, visible, who) for who in t["cross_check"]["recipients"]]
    openings += [(copy, visible + [b], who)
                 for copy, b, who in zip(copies, blind, t["cross_check"].get("blind_copies", []))]
    for envelope, listed, who in openings:
        open_and_compare(inp, sealed["blobs"], envelope, listed, who)


def open_and_compare(inp, blobs, sealed, listed, who):
    """Open one sealed envelope as `who` and compare it with the seal's input."""
    o = ops.run("message.open", {"envelope": sealed["envelope"], "encryption_secret": who["encryption_secret"],
                                 "addresses": who["addresses"], "stanza_index": None})
    assert o["status"] == "ok", o
    out = o["output"]
    assert out["message_id"] == sealed["message_id"]
    assert out["sender"] == inp["sender"]["address"] and out["date"] == inp["date"]
    assert out["headers"] == inp["headers"]
    assert [(x["address"], x["role"]) for x in out["recipients"]] == [(x["address"], x["role"]) for x in listed]
    assert out["in_reply_to"] == inp["in_reply_to"] and out["references"] == inp["references"]
    assert len(out["parts"]) == len(inp["parts"])
    for part, given in zip(out["parts"], inp["parts"]):
        assert (part["media_type"], part["file_name"]) == (given["media_type"], given["file_name"])
        content = b""
        for i, cid in enumerate(part["chunks"]):
            c = ops.run("chunk.open", {"part": part, "index": i, "blob": blobs[cid]})
            assert c["status"] == "ok", c
            content += bytes.fromhex(c["output"]["plaintext"])
        assert content.hex() == given["content"]


@pytest.mark.skipif(not CROSS_CHECKS, reason="no message.seal vector with cross_check")
@pytest.mark.parametrize("operation,t", CROSS_CHECKS or [pytest.param(None, None, id="none")])
def test_cross_check_self(operation, t):
    self_cross_check(t)


if __name__ == "__main__":
    # A summary without pytest: python3 tests/test_vectors.py
    import collections
    import sys
    counts = collections.Counter()
    for p in VECTORS:
        operation, t = p.values
        verdict, why = check(operation, t)
        counts[verdict] += 1
        if verdict == "fail":
            print(f"FAIL {t['id']}: {why}"[:400], file=sys.stderr)
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped ({VECTOR_DIR})")
