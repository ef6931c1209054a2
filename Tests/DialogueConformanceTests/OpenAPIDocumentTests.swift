import Foundation
import Testing

/// `Spec/openapi.json` describes the same HTTP binding as the endpoint tables of `Spec/delivery.md`
/// (Spec: delivery.md#dlv-endpoints) and `Spec/lists.md` (Spec: lists.md#list-endpoints): the same
/// routes, methods, signing and success statuses.
@Suite struct OpenAPIDocumentTests {
    /// One row of the chapter's endpoint table, or one operation of the OpenAPI document.
    struct Endpoint: Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var signed: String
        var successStatuses: Set<Int>

        var description: String { "\(method) \(path) (\(signed), \(successStatuses.sorted()))" }
    }

    /// The rows of a chapter's table after `marker`: the endpoint table, the operations table of
    /// [dlv-ops], or the list endpoint table of lists.md.
    static func chapterEndpoints(
        marker: String = "<!-- endpoint table: checked against openapi.json by a test -->",
        chapter: String = "Spec/delivery.md"
    ) throws -> Set<Endpoint> {
        let text = try String(
            contentsOf: Support.root.appendingPathComponent(chapter), encoding: .utf8)
        guard let start = text.range(of: marker) else {
            Issue.record("the table's marker \(marker) is missing from \(chapter)")
            return []
        }
        var endpoints: Set<Endpoint> = []
        for line in text[start.upperBound...].split(separator: "\n").dropFirst(2) {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let statuses = Set(
                cells[5].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.filter {
                    (200..<300).contains($0)
                })
            endpoints.insert(
                Endpoint(
                    method: cells[1], path: cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                    signed: cells[3], successStatuses: statuses))
        }
        return endpoints
    }

    /// The operations of the document: those under the base URL, or with `operational` the operator's
    /// routes at the root of the origin (`x-dialogue-operational`).
    static func documentEndpoints(operational: Bool = false) throws -> Set<Endpoint> {
        let data = try Data(contentsOf: Support.root.appendingPathComponent("Spec/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        var endpoints: Set<Endpoint> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any])
            for (method, value) in operations where method != "parameters" && method != "servers" {
                let operation = try #require(value as? [String: Any])
                guard (operation["x-dialogue-operational"] as? Bool ?? false) == operational else { continue }
                let responses = try #require(operation["responses"] as? [String: Any])
                let statuses = Set(responses.keys.compactMap { Int($0) }.filter { (200..<300).contains($0) })
                endpoints.insert(
                    Endpoint(
                        method: method.uppercased(), path: path,
                        signed: operation["x-dialogue-signed"] as? String ?? "missing", successStatuses: statuses))
            }
        }
        return endpoints
    }

    /// Spec: [dlv-errors], [list-member-request] — the chapters and the document list exactly the same
    /// endpoints.
    @Test func theChapterAndTheDocumentListTheSameEndpoints() throws {
        let delivery = try Self.chapterEndpoints()
        let lists = try Self.chapterEndpoints(
            marker: "<!-- list endpoint table: checked against openapi.json by a test -->", chapter: "Spec/lists.md")
        let chapter = delivery.union(lists)
        let document = try Self.documentEndpoints()
        #expect(delivery.count == 13)
        #expect(lists.count == 11)
        for missing in chapter.subtracting(document) { Issue.record("in the chapter, not in openapi.json: \(missing)") }
        for extra in document.subtracting(chapter) { Issue.record("in openapi.json, not in the chapter: \(extra)") }
    }

    /// Spec: [dlv-ops] — the operator's routes are the same in both, and only they sit at the origin's root.
    @Test func theOperationsAreTheSameInBoth() throws {
        let chapter = try Self.chapterEndpoints(
            marker: "<!-- operations table: checked against openapi.json by a test -->")
        let document = try Self.documentEndpoints(operational: true)
        #expect(chapter.count == 3)
        #expect(chapter == document)
        let data = try Data(contentsOf: Support.root.appendingPathComponent("Spec/openapi.json"))
        let paths = try #require(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["paths"] as? [String: Any])
        for endpoint in document {
            let item = try #require(paths[endpoint.path] as? [String: Any])
            let servers = try #require(
                item["servers"] as? [[String: Any]], "\(endpoint.path) has no servers of its own")
            #expect(servers.first?["url"] as? String == "{origin}")
        }
    }

    /// Spec: [dlv-errors] — every problem type of the chapter's table is in the document's enumeration.
    @Test func theProblemTypesAreTheChaptersTable() throws {
        let text = try String(
            contentsOf: Support.root.appendingPathComponent("Spec/delivery.md"), encoding: .utf8)
        let tableStart = try #require(text.range(of: "| type (`urn:dialogue:problem:` + ) | status | when |"))
        var chapterTypes: [String: Int] = [:]
        for line in text[tableStart.upperBound...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            chapterTypes["urn:dialogue:problem:" + cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] =
                Int(cells[1])
        }
        let data = try Data(contentsOf: Support.root.appendingPathComponent("Spec/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let problem = try #require(schemas["Problem"] as? [String: Any])
        let properties = try #require(problem["properties"] as? [String: Any])
        let type = try #require(properties["type"] as? [String: Any])
        let enumeration = try #require(type["enum"] as? [String])
        #expect(Set(enumeration) == Set(chapterTypes.keys))
        #expect(chapterTypes.count == 18)
    }
}
