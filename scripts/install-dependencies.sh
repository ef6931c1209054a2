#!/usr/bin/env bash
# Installs the system packages Dialogue needs, and only when they are missing:
#   libsodium-dev    the C library behind every cryptographic primitive (required)
#   libsqlite3-dev   the SQLite headers GRDB builds against, for DialogueTrust's trust store (required)
# With --benchmarks it also installs the reference tools the benchmarks compare
# against: age and gnupg. It uses apt-get, so it needs root on Debian/Ubuntu.
set -euo pipefail

packages=()
if ! pkg-config --exists libsodium 2>/dev/null; then
    packages+=(libsodium-dev)
fi
if ! pkg-config --exists sqlite3 2>/dev/null; then
    packages+=(libsqlite3-dev)
fi
if ! command -v pkg-config >/dev/null 2>&1; then
    packages+=(pkg-config)
fi
if [[ "${1:-}" == "--benchmarks" ]]; then
    command -v age >/dev/null 2>&1 || packages+=(age)
    command -v gpg >/dev/null 2>&1 || packages+=(gnupg)
fi

if ((${#packages[@]} == 0)); then
    exit 0
fi

echo "install-dependencies: installing ${packages[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
