internal import ArgumentParser
internal import DialogueIdentifiers

/// `dialogued-load publish`: uploads one blob of each size and submits a message naming them, so that
/// the server serves them (`GET /blobs/{id}` answers only for live blobs, [dlv-blob-serve]); prints
/// `blob size=… id=…` per blob.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Upload and submit blobs of the given sizes, so that they are served.")

    @OptionGroup var target: TargetOptions
    @Option(help: "A blob size in bytes (repeat for several blobs; the first is the envelope).") var size: [Int]

    func run() async throws {
        guard !size.isEmpty else { throw LoadError("give at least one --size") }
        let requests = try target.requests()
        let ids = try await LoadClient.using(connections: 1) { client in
            var ids: [ContentIdentifier] = []
            for (index, count) in size.enumerated() {
                let (id, request) = try requests.upload(SeededBytes.make(count: count, seed: UInt64(index + 1) << 32))
                try await client.sendSucceeding(request, "upload of \(count) bytes")
                ids.append(id)
            }
            try await client.sendSucceeding(try requests.submission(naming: ids), "submission")
            return ids
        }
        for (count, id) in zip(size, ids) { print("blob size=\(count) id=\(id.text(kind: .blob))") }
    }
}
