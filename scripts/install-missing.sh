#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages whose program is missing, for the benchmark scripts.
#
#   scripts/install-missing.sh PACKAGE[:PROGRAM]...
#
# PROGRAM is a command name or an absolute path (default: the package's name); a package is
# installed when its program is neither on PATH nor executable at that path.
set -euo pipefail
missing=()
for spec in "$@"; do
    package="${spec%%:*}"
    program="${spec#*:}"
    if [[ "$program" == /* ]]; then
        [[ -x "$program" ]] || command -v "$(basename "$program")" >/dev/null 2>&1 || missing+=("$package")
    else
        command -v "$program" >/dev/null 2>&1 || missing+=("$package")
    fi
done
((${#missing[@]} > 0)) || exit 0
echo "$(basename "$0"): installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
