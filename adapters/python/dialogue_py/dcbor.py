"""Dialogue's deterministic CBOR subset: a strict decoder and a canonical encoder.

Spec/encoding.md was missing from this branch's base (SPEC-GAPS.md, G1); it
was first implemented from the other chapters and by observing the reference
command `dialogue cbor check` as a black box, then checked against the chapter
when it appeared on branch `cbor` (d7077e4): the checks below follow
[enc-error-order] step by step. In short:

* values: unsigned and negative integers (full 64-bit argument), byte strings,
  UTF-8 text strings, arrays, maps, false, true, null;
* no tags, no floats, no undefined, no other simple values, no indefinite
  lengths;
* every argument in its shortest form;
* map keys are integers or text strings, unique, in bytewise order of their
  encodings (RFC 8949 section 4.2.1);
* exactly one item, no trailing bytes;
* limits: input at most 16 MiB, nesting depth at most 16 (a top-level scalar
  has depth 1), at most 262,144 data items (containers, keys and values
  each count one).

Python representation: int, bytes, str, list, dict (insertion order is the
canonical order), True, False, None.
"""

from .errors import DialogueError, encoding_class

MAX_INPUT = 16 * 1024 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 262_144


class CBORError(DialogueError):
    def __init__(self, code: str, message: str):
        super().__init__(encoding_class(code), code, f"{code}: {message}")
        self.code = code


_KEY_TYPES = {0: "unsigned integer", 1: "negative integer", 2: "byte string",
              3: "text string", 4: "array", 5: "map", 6: "tag"}


class _Decoder:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.items = 0

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def item(self, depth: int, is_key: bool = False):
        start = self.pos
        if self.pos >= len(self.data):
            raise CBORError("truncated", f"the input ends at offset {start}, where a data item was expected")
        if depth > MAX_DEPTH:
            raise CBORError("too-deep", f"the data item at offset {start} has depth {depth}, "
                                        f"more than the limit of {MAX_DEPTH}")
        self.items += 1
        if self.items > MAX_ITEMS:
            raise CBORError("too-large", f"the data item at offset {start} is one more than "
                                         f"the limit of {MAX_ITEMS} items")
        ib = self.data[self.pos]
        major, ai = ib >> 5, ib & 0x1F
        if 28 <= ai <= 30:
            raise CBORError("not-well-formed", f"the initial byte 0x{ib:02x} at offset {start} uses "
                                               f"the reserved additional information {ai}")
        if ai == 31:
            if major in (2, 3, 4, 5, 7):
                raise CBORError("indefinite-length", f"indefinite length (or break) at offset {start}")
            raise CBORError("not-well-formed", f"the initial byte 0x{ib:02x} at offset {start} has "
                                               f"additional information 31, which major type {major} does not define")
        extra = {24: 1, 25: 2, 26: 4, 27: 8}.get(ai, 0)
        if self.remaining() < 1 + extra:
            raise CBORError("truncated", f"the head at offset {start} needs {extra} more bytes after its "
                                         f"initial byte, but {self.remaining() - 1} remain")
        arg = ai if extra == 0 else int.from_bytes(self.data[self.pos + 1:self.pos + 1 + extra], "big")
        self.pos += 1 + extra

        if major == 6:
            raise CBORError("type-not-allowed", f"tag {arg} at offset {start} is not allowed")
        value = None
        if major == 7:
            if ai in (25, 26, 27):
                raise CBORError("type-not-allowed", f"a floating-point number at offset {start} is not allowed")
            if ai == 24:
                if arg < 32:
                    raise CBORError("not-well-formed", f"simple value {arg} at offset {start} is written in "
                                                       "the two-byte form, which is reserved for values 32 to 255")
                raise CBORError("type-not-allowed", f"simple value {arg} at offset {start} is not allowed")
            if ai == 20:
                value = False
            elif ai == 21:
                value = True
            elif ai == 22:
                value = None
            else:
                raise CBORError("type-not-allowed", f"simple value {ai} at offset {start} is not allowed")
        else:
            if (ai == 24 and arg < 24) or (ai == 25 and arg < 0x100) or (ai == 26 and arg < 0x10000) \
                    or (ai == 27 and arg < 0x100000000):
                raise CBORError("non-shortest-form", f"the item at offset {start} writes the argument {arg} "
                                                     f"in {1 + extra} bytes")
        if is_key and major not in (0, 1, 3):
            raise CBORError("invalid-map-key", f"the map key at offset {start} is of type "
                                               f"{_KEY_TYPES.get(major, 'simple value')}; keys must be integers or text strings")
        if major == 7:
            return value
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major in (2, 3):
            if arg > self.remaining():
                raise CBORError("truncated", f"the string at offset {start} declares {arg} content bytes, "
                                             f"but {self.remaining()} remain")
            raw = self.data[self.pos:self.pos + arg]
            self.pos += arg
            if major == 2:
                return bytes(raw)
            try:
                return bytes(raw).decode("utf-8", errors="strict")
            except UnicodeDecodeError:
                raise CBORError("invalid-utf8", f"the text string at offset {start} is not valid UTF-8") from None
        if major == 4:
            if arg > self.remaining():
                raise CBORError("truncated", f"the array at offset {start} declares {arg} elements, "
                                             f"but only {self.remaining()} bytes remain")
            return [self.item(depth + 1) for _ in range(arg)]
        # major == 5
        if 2 * arg > self.remaining():
            raise CBORError("truncated", f"the map at offset {start} declares {arg} entries, "
                                         f"but only {self.remaining()} bytes remain")
        out = {}
        previous = None
        for _ in range(arg):
            kstart = self.pos
            key = self.item(depth + 1, is_key=True)
            kbytes = self.data[kstart:self.pos]
            if previous is not None:
                if kbytes == previous:
                    raise CBORError("duplicate-map-key", f"the map at offset {start} repeats a key at offset {kstart}")
                if kbytes < previous:
                    raise CBORError("unsorted-map-keys", f"in the map at offset {start}, the key at offset "
                                                         f"{kstart} sorts before the previous key")
            previous = kbytes
            out[key] = self.item(depth + 1)
        return out


def decode_object(data: bytes):
    """Decode a Dialogue object (card, envelope, manifest, secret file): encoding faults
    are `limits-exceeded` for the size, depth and item limits and `malformed` for
    anything else, truncation included (messages.md step 1; the published vectors;
    SPEC-GAPS G3)."""
    try:
        return decode(data)
    except CBORError as e:
        if e.cls == "truncated":
            e.cls = "malformed"
        raise


def decode(data: bytes):
    """Decode exactly one Dialogue CBOR item, or raise CBORError."""
    data = bytes(data)
    if len(data) > MAX_INPUT:
        raise CBORError("too-large", f"the input is {len(data)} bytes long, more than the limit of {MAX_INPUT} bytes")
    if not data:
        raise CBORError("truncated", "the input is empty; expected one data item at offset 0")
    d = _Decoder(data)
    value = d.item(1)
    if d.pos != len(data):
        raise CBORError("trailing-bytes", f"{len(data) - d.pos} bytes follow the data item that ends at offset {d.pos}")
    return value


# ---------------------------------------------------------------- encoder

def _head(major: int, arg: int) -> bytes:
    if arg < 0 or arg >= 1 << 64:
        raise ValueError("CBOR argument out of range")
    if arg < 24:
        return bytes([(major << 5) | arg])
    if arg < 0x100:
        return bytes([(major << 5) | 24, arg])
    if arg < 0x10000:
        return bytes([(major << 5) | 25]) + arg.to_bytes(2, "big")
    if arg < 0x100000000:
        return bytes([(major << 5) | 26]) + arg.to_bytes(4, "big")
    return bytes([(major << 5) | 27]) + arg.to_bytes(8, "big")


def encode(value) -> bytes:
    """Canonical encoding of a value of the subset."""
    if value is False:
        return b"\xf4"
    if value is True:
        return b"\xf5"
    if value is None:
        return b"\xf6"
    if type(value) is int:
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        entries = []
        for k, v in value.items():
            if not (type(k) is int or isinstance(k, str)):
                raise ValueError("map keys must be integers or text strings")
            entries.append((encode(k), encode(v)))
        entries.sort(key=lambda e: e[0])
        for a, b in zip(entries, entries[1:]):
            if a[0] == b[0]:
                raise ValueError("duplicate map key")
        return _head(5, len(entries)) + b"".join(k + v for k, v in entries)
    raise ValueError(f"type {type(value).__name__} is not in the Dialogue CBOR subset")


# ---------------------------------------------------------------- diagnostic notation

def _diag_text(s: str) -> str:
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\r":
            out.append("\\r")
        elif c < 0x20 or 0x7F <= c <= 0x9F or c in (0x2028, 0x2029):
            out.append(f"\\u{c:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def diagnostic(value) -> str:
    """RFC 8949 section 8 diagnostic notation, as `dialogue cbor check` prints it (gap G2)."""
    if value is False:
        return "false"
    if value is True:
        return "true"
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if isinstance(value, bytes):
        return "h'" + value.hex() + "'"
    if isinstance(value, str):
        return _diag_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(diagnostic(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(diagnostic(k) + ": " + diagnostic(v) for k, v in value.items()) + "}"
    raise ValueError(type(value))
