// swift-tools-version: 6.0
// Dialogue: an Internet-mail protocol in the style of Internet Mail 2000.
//
// The targets are layered; dependencies point one way only:
//
//   DialogueCBOR            deterministic CBOR (no dependencies, no Foundation)
//   CSodium                 libsodium, a system library, never re-exported
//   DialogueCrypto          the primitives Dialogue uses, wrapping CSodium
//   DialogueIdentifiers     content identifiers and the domain-separation registry
//   DialogueMessages        addresses, identity cards, sealing and opening messages, blob stores
//   DialogueTrust           trust on first use: verdicts, statements, safety numbers, trust stores (SQLite)
//   DialogueDelivery        delivery objects and the request-signature profile (no HTTP stack)
//   DialogueConformance     test vectors: generator, in-process executor, adapter runner, traceability
//   DialogueServerConformance  the server conformance suite: drives any server over HTTP (async-http-client)
//                           and plays a peer server on loopback (SwiftNIO); only it and the command
//                           line need the networking packages, so a library user never builds them
//   DialogueClient          the mail client library: accounts, cards judged by trust on first use, send,
//                           inbox sync, fetching only missing chunks into a local SQLite store, keep and
//                           acknowledge, reply, forward, threads (async-http-client; no server code)
//   DialogueCommandLine     the `dialogue` executable
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    // SwiftPM names a dependency by its URL or folder (`dialogue`), not by this name.
    name: "Dialogue",
    // What the code needs, which is more than GRDB needs (macOS 10.15, iOS 13): DirectoryBlobStore
    // uses `Synchronization.Mutex`, which the Swift 6 runtime brought with these releases.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "DialogueCBOR", targets: ["DialogueCBOR"]),
        .library(name: "DialogueCrypto", targets: ["DialogueCrypto"]),
        .library(name: "DialogueIdentifiers", targets: ["DialogueIdentifiers"]),
        .library(name: "DialogueMessages", targets: ["DialogueMessages"]),
        .library(name: "DialogueTrust", targets: ["DialogueTrust"]),
        .library(name: "DialogueDelivery", targets: ["DialogueDelivery"]),
        .library(name: "DialogueConformance", targets: ["DialogueConformance"]),
        .library(name: "DialogueServerConformance", targets: ["DialogueServerConformance"]),
        .library(name: "DialogueClient", targets: ["DialogueClient"]),
        .executable(name: "dialogue", targets: ["DialogueCommandLine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Only DialogueServerConformance (and the command line above it) use these two.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // `swift package generate-documentation`; a command plugin, never linked into a product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "DialogueCBOR", swiftSettings: strictSettings),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(name: "DialogueCrypto", dependencies: ["CSodium"], swiftSettings: strictSettings),
        .target(
            name: "DialogueIdentifiers",
            dependencies: ["DialogueCrypto"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueMessages",
            dependencies: ["DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueTrust",
            dependencies: [
                "DialogueMessages", "DialogueIdentifiers", "DialogueCrypto", "DialogueCBOR",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueDelivery",
            dependencies: ["DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers", "DialogueMessages"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueConformance",
            dependencies: [
                "DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers", "DialogueMessages", "DialogueTrust",
                "DialogueDelivery",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueServerConformance",
            dependencies: [
                "DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers", "DialogueMessages", "DialogueDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueClient",
            dependencies: [
                "DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers", "DialogueMessages", "DialogueTrust",
                "DialogueDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DialogueCommandLine",
            dependencies: [
                "DialogueCBOR",
                "DialogueClient",
                "DialogueDelivery",
                "DialogueConformance",
                "DialogueServerConformance",
                "DialogueCrypto",
                "DialogueIdentifiers",
                "DialogueMessages",
                "DialogueTrust",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "DialogueCBORTests", dependencies: ["DialogueCBOR"], swiftSettings: strictSettings),
        .testTarget(
            name: "DialogueCryptoTests",
            dependencies: ["DialogueCrypto"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueIdentifiersTests",
            dependencies: ["DialogueIdentifiers"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueMessagesTests",
            dependencies: ["DialogueMessages"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueTrustTests",
            dependencies: ["DialogueTrust"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueDeliveryTests",
            dependencies: ["DialogueDelivery", "DialogueCBOR", "DialogueCrypto", "DialogueIdentifiers", "DialogueMessages"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueConformanceTests",
            dependencies: ["DialogueConformance", "DialogueCommandLine"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueCommandLineTests",
            dependencies: ["DialogueCommandLine", "DialogueIdentifiers", "DialogueMessages"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
