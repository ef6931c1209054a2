internal import DialogueCBOR

/// The `cbor` target. For every input the decoder accepts, checks the
/// properties of Spec/encoding.md and traps on any violation:
///
/// 1. canonical: re-encoding the decoded value reproduces the input exactly
///    ([enc-canonical]);
/// 2. the node's encodedBytes are the whole input ([enc-verify-received]);
/// 3. diagnostic notation round-trips: print, parse, and the value is equal
///    and re-encodes to the input;
/// 4. a map read through ``CBORMapReader`` gives every key's value as
///    `map()` lists it, `finish()` passes once every key was read and names
///    the first unread key otherwise.
///
/// Rejections must carry one of the documented codes and an offset inside
/// the input. A rejected input is then also tried as diagnostic notation:
/// when it parses and encodes, decoding the encoding must give the parsed
/// value back.
func checkCBOR(_ input: [UInt8]) {
    let count = input.count
    let node: CBORNode
    do throws(CBORError) {
        node = try CBORDecoder().decode(input)
    } catch {
        precondition(CBORError.Code.allCases.contains(error.code), "undocumented code \(error.code)")
        precondition(error.offset >= 0 && error.offset <= count, "offset \(error.offset) outside the input")
        // The same bytes as diagnostic notation.
        guard let parsed = try? CBORValue(diagnostic: String(decoding: input, as: UTF8.self)),
            let encoded = try? CBOREncoder().encode(parsed)
        else {
            return
        }
        guard let decoded = try? CBORDecoder().decode(encoded) else {
            fatalError("the encoder produced bytes the decoder rejects")
        }
        precondition(decoded.value == parsed, "a parsed value changed through encode and decode")
        return
    }
    precondition(Array(node.encodedBytes) == input, "encodedBytes differ from the input")
    if node.type == .map { checkMapReader(node) }
    let value = node.value
    let reencoded: [UInt8]
    do throws(CBORError) {
        reencoded = try CBOREncoder().encode(value)
    } catch {
        fatalError("an accepted value does not encode: \(error)")
    }
    precondition(reencoded == input, "not canonical: re-encoding differs from the accepted input")

    let text = value.diagnosticDescription
    let parsed: CBORValue
    do throws(CBORError) {
        parsed = try CBORValue(diagnostic: text)
    } catch {
        fatalError("diagnostic notation does not parse back: \(error) in \(text)")
    }
    precondition(parsed == value, "diagnostic round trip changed the value: \(text)")
    let parsedEncoding: [UInt8]
    do throws(CBORError) {
        parsedEncoding = try CBOREncoder().encode(parsed)
    } catch {
        fatalError("a parsed value does not encode: \(error)")
    }
    precondition(parsedEncoding == input, "diagnostic round trip changed the encoding")
}

/// Property 4: the map reader, which walks the item table itself, agrees with `map()`.
func checkMapReader(_ node: CBORNode) {
    guard let entries = try? node.map(), var reader = try? CBORMapReader(node) else {
        fatalError("a decoded map cannot be read")
    }
    precondition(reader.count == entries.count && reader.entries == entries, "the reader's entries differ")
    // Integer keys beyond Int64 cannot be asked for through the API.
    guard entries.allSatisfy({ $0.key.type == .textString || (try? $0.key.integer()) != nil }) else { return }
    func read(_ key: CBORNode) -> CBORNode? {
        key.type == .textString ? reader.optional(try! key.textString()) : reader.optional(try! key.integer())
    }
    // Read every key but the last, in reverse order, then check what is left.
    for entry in entries.dropLast().reversed() {
        precondition(read(entry.key) == entry.value, "the reader found another value")
    }
    precondition(reader.unreadEntries == Array(entries.suffix(1)), "unread entries differ")
    guard let last = entries.last else { return }
    do throws(CBORError) {
        try reader.finish()
        fatalError("finish() passed with a key unread")
    } catch {
        precondition(error.code == .unknownKey && error.offset == last.key.offset, "finish() named another key")
    }
    precondition(read(last.key) == last.value, "the reader found another value")
    do throws(CBORError) { try reader.finish() } catch { fatalError("finish() failed with every key read") }
}
