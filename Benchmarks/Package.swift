// swift-tools-version: 6.1
// Dialogue's benchmark suite: a separate package so that the library's own package never depends
// on package-benchmark. Run everything with `scripts/benchmark.sh` from the repository root.
//
//   CSodiumBench            libsodium, for the direct-call baselines (not the library's CSodium)
//   BenchmarkFixtures       deterministic inputs shared by every benchmark: seeded bytes, keys, documents
//   FoundationBenchmarks    BLAKE2b, CBOR and Ed25519 through the Swift API next to direct libsodium calls
//   MessageBenchmarks       sealing and opening small messages, to one and to 1,000 recipients
//   dialogue-bench-cli      seals and opens a file, for timing whole runs against age and gpg
import PackageDescription

let package = Package(
    name: "DialogueBenchmarks",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dialogue-bench-cli", targets: ["DialogueBenchCLI"])
    ],
    dependencies: [
        .package(name: "Dialogue", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSodiumBench",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                "CSodiumBench",
                .product(name: "DialogueCBOR", package: "Dialogue"),
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
            ]
        ),
        .executableTarget(
            name: "FoundationBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                "CSodiumBench",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DialogueCBOR", package: "Dialogue"),
                .product(name: "DialogueCrypto", package: "Dialogue"),
            ],
            path: "Benchmarks/FoundationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MessageBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DialogueCrypto", package: "Dialogue"),
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
            ],
            path: "Benchmarks/MessageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DialogueBenchCLI",
            dependencies: [
                "BenchmarkFixtures",
                "CSodiumBench",
                .product(name: "DialogueIdentifiers", package: "Dialogue"),
                .product(name: "DialogueMessages", package: "Dialogue"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
