#!/usr/bin/env bash
# Runs every test of the repository: installs what is missing, builds, runs the
# Swift test suite, then the conformance checks: the published vectors must
# regenerate byte for byte, every requirement must have a vector or a test, and
# the Swift library must pass every vector through the adapter protocol. Last,
# the server package (Server/, dialogued) builds and runs its own tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build

dialogue="$(swift build --show-bin-path)/dialogue"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The vectors are generated deterministically from fixed seeds: any difference fails.
"$dialogue" vectors generate --output "$scratch/vectors" >/dev/null
diff -r --exclude=external TestVectors "$scratch/vectors"

# Every requirement anchor of Spec/ has a vector or a test.
"$dialogue" vectors trace --output "$scratch/traceability.md"
diff Spec/traceability.md "$scratch/traceability.md" || {
    echo "Spec/traceability.md is stale: run 'swift run dialogue vectors trace'" >&2
    exit 1
}

# The Swift library through the adapter protocol, as a separate process.
"$dialogue" conformance --adapter "$dialogue adapter" --junit "$scratch/swift-adapter.xml"

# ---- The independent Python adapter (adapters/python/, written from the spec) ----
if [ -f adapters/python/adapter.py ]; then
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -r adapters/python/requirements.txt
    "$dialogue" conformance --adapter "python3 adapters/python/adapter.py"
    # The adapter's own tests (primitives, messages, every vector through its driver).
    python3 -m pytest -q adapters/python/tests
fi

# ---- The server package (Server/: dialogued, its stores and its HTTP application) ----
# A separate package, so that the library never builds the server stack; its first build
# takes several minutes (SwiftNIO, BoringSSL for async-http-client, Hummingbird).
swift build --package-path Server --build-tests
swift test --package-path Server --skip-build
