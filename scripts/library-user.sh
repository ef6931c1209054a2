#!/usr/bin/env bash
# A library user's build, from outside: a new package that depends on this one by path, with the
# products and the example of README.md's "Using the library" (DialogueMessages and DialogueTrust; the
# example as its main.swift), builds and runs, and SwiftPM compiles only the modules those products
# need: no SwiftNIO, no async-http-client, no client, nothing of Server/. The check reads the build
# itself (the modules with object files), so it holds whatever the manifests say.
#
# SwiftPM still downloads every package this one's manifest names (async-http-client and SwiftNIO for
# DialogueClient and DialogueServerConformance); only what the products need is built and linked.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
identity=$(basename "$root" | tr '[:upper:]' '[:lower:]')
work=$(mktemp -d /tmp/dialogue-library-user.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/Sources/Mail"
cat >"$work/Package.swift" <<MANIFEST
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Mail",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "$root")],
    targets: [
        .executableTarget(
            name: "Mail",
            dependencies: [
                .product(name: "DialogueMessages", package: "$identity"),
                .product(name: "DialogueTrust", package: "$identity"),
            ]
        )
    ]
)
MANIFEST
# The README's example: the first swift block after its "### Example" heading.
awk '/^### Example/ { section = 1 } section && /^```swift/ { inside = 1; next } inside && /^```/ { exit } inside' \
    README.md >"$work/Sources/Mail/main.swift"
grep -q 'ReceivedMessage.open' "$work/Sources/Mail/main.swift" || {
    echo "library-user.sh: the README's example was not found" >&2
    exit 1
}

swift build --package-path "$work" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    exit 1
}
output=$("$(swift build --package-path "$work" --show-bin-path)/Mail")
grep -q 'first-contact' <<<"$output" && grep -q 'answers' <<<"$output" || {
    echo "library-user.sh: the example ran but printed: $output" >&2
    exit 1
}

built=$(cd "$(swift build --package-path "$work" --show-bin-path)" &&
    for module in *.build; do
        if compgen -G "$module/*.o" >/dev/null; then echo "${module%.build}"; fi
    done | sort | tr '\n' ' ')
expected="DialogueCBOR DialogueCrypto DialogueIdentifiers DialogueMessages DialogueTrust GRDB Mail "
if [[ "$built" != "$expected" ]]; then
    echo "library-user.sh: a library user built: $built" >&2
    echo "library-user.sh: expected only:        $expected" >&2
    exit 1
fi
echo "library-user.sh: the README's example builds and runs from another package; modules built: $built"
