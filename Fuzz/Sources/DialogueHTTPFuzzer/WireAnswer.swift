/// One HTTP/1.1 answer as a server wrote it, read strictly: a status line, header fields, and a body
/// framed by `Content-Length` or chunked transfer coding (none for a `HEAD`, a `1xx`, `204` or `304`).
struct WireAnswer: Sendable {
    /// Why the bytes written are not a sequence of whole answers.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The method of the request answered; `nil` for an answer to no request the parser delivered
    /// (its refusal of a head that is not HTTP).
    let method: String?
    let status: Int
    /// The header fields, names lowercased, in order.
    let fields: [(name: String, value: String)]
    let body: [UInt8]

    /// The value of the first field called `name` (lowercase).
    func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The HTTP layer's refusal of bytes that stop being HTTP (in a head, or in the body the application
    /// is reading): `400`, `Connection: close`, no body, no content type. The application's own `400`
    /// is a problem document.
    var isParserRefusal: Bool {
        status == 400 && field("connection") == "close" && body.isEmpty && field("content-type") == nil
    }

    /// The answers in `bytes`, the i-th to a request with `methods[i]`; throws unless `bytes` is
    /// exactly whole answers.
    static func read(_ bytes: [UInt8], methods: [String]) throws -> [WireAnswer] {
        var answers: [WireAnswer] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let method = answers.count < methods.count ? methods[answers.count] : nil
            answers.append(try read(&rest, method: method))
        }
        return answers
    }

    private static func read(_ rest: inout ArraySlice<UInt8>, method: String?) throws -> WireAnswer {
        guard let end = find([13, 10, 13, 10], in: rest) else {
            throw Malformed(description: "a head without its end")
        }
        let lines = split(rest[rest.startIndex..<end])
        rest = rest[(end + 4)...]
        let statusLine = String(decoding: lines[0], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", parts[1].count == 3, let status = Int(parts[1]) else {
            throw Malformed(description: "the status line '\(statusLine)'")
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw Malformed(description: "the field line '\(String(decoding: line, as: UTF8.self))'")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            fields.append((name, String(value.drop { $0 == " " || $0 == "\t" })))
        }
        let answer = { (body: [UInt8]) in WireAnswer(method: method, status: status, fields: fields, body: body) }
        let lengths = fields.filter { $0.name == "content-length" }
        let chunked = fields.contains { $0.name == "transfer-encoding" && $0.value.lowercased() == "chunked" }
        guard lengths.count <= 1, !(chunked && !lengths.isEmpty) else {
            throw Malformed(description: "\(status) with \(lengths.count) Content-Length fields, chunked \(chunked)")
        }
        if method == "HEAD" || status < 200 || status == 204 || status == 304 { return answer([]) }
        if chunked { return answer(try readChunks(&rest)) }
        guard let text = lengths.first?.value, let length = Int(text), length >= 0 else {
            throw Malformed(description: "\(status) without a length")
        }
        guard rest.count >= length else { throw Malformed(description: "\(status): a body shorter than \(length)") }
        let body = Array(rest.prefix(length))
        rest = rest.dropFirst(length)
        return answer(body)
    }

    private static func readChunks(_ rest: inout ArraySlice<UInt8>) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            guard let end = find([13, 10], in: rest),
                let size = Int(String(decoding: rest[rest.startIndex..<end], as: UTF8.self), radix: 16), size >= 0
            else { throw Malformed(description: "a chunk without its size") }
            rest = rest[(end + 2)...]
            if size == 0 {
                // No trailer fields: the empty line that ends the body.
                guard rest.starts(with: [13, 10]) else { throw Malformed(description: "a trailer") }
                rest = rest.dropFirst(2)
                return body
            }
            guard rest.count >= size + 2, rest.dropFirst(size).starts(with: [13, 10]) else {
                throw Malformed(description: "a chunk shorter than \(size)")
            }
            body += rest.prefix(size)
            rest = rest.dropFirst(size + 2)
        }
    }

    private static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = bytes.startIndex
        while index + needle.count <= bytes.endIndex {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func split(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        while let end = find([13, 10], in: head[start...]) {
            lines.append(head[start..<end])
            start = end + 2
        }
        lines.append(head[start...])
        return lines
    }
}
