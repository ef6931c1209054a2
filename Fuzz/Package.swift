// swift-tools-version: 6.0
// The libFuzzer target for DialogueCBOR. A separate package so that sanitizer
// builds never mix with the main build; see run-fuzzer.sh.
import PackageDescription

let package = Package(
    name: "DialogueFuzz",
    dependencies: [
        // The root package, whatever its directory is called.
        .package(name: "Dialogue", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "DialogueCBORFuzzer",
            dependencies: [.product(name: "DialogueCBOR", package: "Dialogue")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
