#!/usr/bin/env python3
"""Dialogue conformance adapter (Spec/conformance.md#conf-adapter) for the Python implementation.

JSON Lines on standard input and output; logs on standard error.
"""

import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dialogue_py import ops  # noqa: E402

NAME = "dialogue-python"
VERSION = "0.1.0"


def handle(request: dict) -> dict:
    if request.get("type") == "hello":
        return {"type": "hello", "protocol": 1, "name": NAME, "version": VERSION,
                "operations": sorted(ops.OPERATIONS), "features": list(ops.FEATURES)}
    rid = request.get("id")
    if request.get("type") != "request":
        return {"type": "response", "id": rid, "status": "unsupported"}
    try:
        result = ops.run(request.get("operation"), request.get("input") or {})
    except Exception as e:  # an input this adapter did not expect: one response, never a crash
        traceback.print_exc(file=sys.stderr)
        result = {"status": "error", "error": "malformed", "message": f"internal: {type(e).__name__}: {e}"}
    return {"type": "response", "id": rid, **result}


def main() -> None:
    # JSON Lines in UTF-8 whatever the locale; one line per response.
    sys.stdin.reconfigure(encoding="utf-8", errors="strict")
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"adapter: not JSON: {e}", file=sys.stderr)
            continue
        response = handle(request)
        out.write(json.dumps(response, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
