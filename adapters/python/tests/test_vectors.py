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


def check(operation, t):
    """Returns (verdict, explanation); verdict is 'pass', 'fail' or 'skip'."""
    response = ops.run(operation, t["input"])
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
