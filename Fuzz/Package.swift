// swift-tools-version: 6.0
// The libFuzzer targets and the differential harness of the Dialogue libraries. A separate
// package so that sanitizer builds never mix with the main build; see run-fuzzer.sh.
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let libraries: [Target.Dependency] = [
    .product(name: "DialogueCBOR", package: "Dialogue"),
    .product(name: "DialogueCrypto", package: "Dialogue"),
    .product(name: "DialogueIdentifiers", package: "Dialogue"),
    .product(name: "DialogueMessages", package: "Dialogue"),
    .product(name: "DialogueTrust", package: "Dialogue"),
    .product(name: "DialogueDelivery", package: "Dialogue"),
    .product(name: "DialogueConformance", package: "Dialogue"),
]

let package = Package(
    name: "DialogueFuzz",
    dependencies: [
        // The root package, whatever its directory is called.
        .package(name: "Dialogue", path: ".."),
        // The server package, for the `http` target (DialogueHTTPFuzzer), and what it names.
        .package(name: "DialogueServer", path: "../Server"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // What the fuzzer and the differential harness share: the targets, their inputs, the
        // structure-aware mutator. Never calls into libFuzzer, so that it links without it.
        .target(name: "DialogueFuzzSupport", dependencies: libraries, swiftSettings: settings),
        // libFuzzer's LLVMFuzzerMutate, for the custom mutator to fall back on.
        .target(name: "CLibFuzzer"),
        // The libFuzzer binary: one target per parser, chosen by DIALOGUE_FUZZ_TARGET.
        .executableTarget(
            name: "DialogueFuzzer", dependencies: ["CLibFuzzer", "DialogueFuzzSupport"] + libraries,
            swiftSettings: settings),
        // The `http` and `http-wire` targets: dialogued's HTTP application, driven in process. A binary of its own, so
        // that the parsers' fuzzer neither builds nor links the server stack.
        .executableTarget(
            name: "DialogueHTTPFuzzer",
            dependencies: [
                "DialogueFuzzSupport",
                .product(name: "DialogueConformance", package: "Dialogue"),
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueDelivery", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
                .product(name: "DialogueServer", package: "DialogueServer"),
                .product(name: "DialogueServerStorage", package: "DialogueServer"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings),
        // The Swift library against an adapter (adapters/python) on the same inputs.
        .executableTarget(
            name: "DialogueDifferential", dependencies: ["DialogueFuzzSupport"] + libraries,
            swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
