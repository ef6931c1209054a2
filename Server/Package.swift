// swift-tools-version: 6.0
// dialogued, the reference mail server of the Dialogue delivery protocol (Spec/delivery.md): a
// separate package, so that a library user who only seals and opens messages never builds the
// server stack (Hummingbird, SwiftNIO, async-http-client).
//
//   DialogueServerStorage   the storage protocols with an injected clock, the memory and SQLite stores,
//                           blob files (no HTTP)
//   DialogueServerPostgres  the PostgreSQL store (postgres-nio), a target of its own so that the storage
//                           target and its users who run on SQLite do not depend on postgres-nio's API
//   DialogueServer          the mail logic (submissions, deliveries, inbox, deletion, outbox) and the
//                           HTTP application
//   DialogueServerCommand   the `dialogued` executable: serve, init, user add/list/remove
//   DialogueServerLoad      `dialogued-load`, the load generator of scripts/server-benchmark.sh
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "DialogueServer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DialogueServer", targets: ["DialogueServer"]),
        .library(name: "DialogueServerStorage", targets: ["DialogueServerStorage"]),
        .executable(name: "dialogued", targets: ["DialogueServerCommand"]),
        .executable(name: "dialogued-load", targets: ["DialogueServerLoad"]),
    ],
    dependencies: [
        .package(name: "Dialogue", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.36.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "DialogueServerStorage",
            dependencies: [
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueServerPostgres",
            dependencies: [
                "DialogueServerStorage",
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialogueServer",
            dependencies: [
                "DialogueServerStorage",
                .product(name: "DialogueCBOR", package: "Dialogue"),
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
                .product(name: "DialogueDelivery", package: "Dialogue"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DialogueServerCommand",
            dependencies: [
                "DialogueServer",
                "DialogueServerStorage",
                "DialogueServerPostgres",
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
                .product(name: "DialogueDelivery", package: "Dialogue"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DialogueServerLoad",
            dependencies: [
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
                .product(name: "DialogueDelivery", package: "Dialogue"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueServerStorageTests",
            dependencies: [
                "DialogueServerStorage",
                "DialogueServerPostgres",
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DialogueServerTests",
            dependencies: [
                "DialogueServer",
                "DialogueServerStorage",
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueDelivery", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
                .product(name: "DialogueServerConformance", package: "Dialogue"),
                .product(name: "DialogueClient", package: "Dialogue"),
                .product(name: "DialogueTrust", package: "Dialogue"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
