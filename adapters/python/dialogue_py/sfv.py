"""Structured Field Values (RFC 8941): a strict parser for dictionaries and a serializer
for inner lists, as the request profile of Spec/delivery.md#dlv-request needs them.

Strict where RFC 8941 is lenient, as [dlv-request-verify] step 1 says: a key that
appears twice in a dictionary, or twice among one item's parameters, fails the parse
(RFC 8941 lets the last one win). Byte sequences follow RFC 8941 section 4.2.7: the
parser accepts missing padding and non-zero fill bits ("SHOULD NOT fail") and keeps the
text as received, so that the profile can reject a non-canonical one itself (step 2).

Values: int, Decimal (decimal.Decimal), str (a String), Token, ByteSequence, bool;
an Item is (bare value, params); an inner list is (InnerList([items]), params);
params and dictionaries are lists of (key, value) pairs in the order received.
"""

import base64
import binascii
import decimal
import string
from dataclasses import dataclass

from .errors import DialogueError

_LCALPHA = set(string.ascii_lowercase)
_DIGIT = set(string.digits)
_ALPHA = set(string.ascii_letters)
_KEY_FIRST = _LCALPHA | {"*"}
_KEY_REST = _LCALPHA | _DIGIT | set("_-.*")
_TCHAR = _ALPHA | _DIGIT | set("!#$%&'*+-.^_`|~")
_TOKEN_REST = _TCHAR | {":", "/"}
_BASE64 = set(string.ascii_letters + string.digits + "+/=")


class SFVError(DialogueError):
    """A field value that is not a valid structured field: `malformed`."""

    def __init__(self, message: str):
        super().__init__("malformed", None, message)


@dataclass(frozen=True)
class Token:
    value: str


@dataclass(frozen=True)
class ByteSequence:
    data: bytes
    text: str  # the base64 between the colons, as received

    @property
    def canonical(self) -> bool:
        """Padded standard base64 with zero fill bits (RFC 4648 section 4)."""
        return base64.b64encode(self.data).decode("ascii") == self.text


@dataclass(frozen=True)
class InnerList:
    items: tuple  # of (bare value, params)


class _Parser:
    def __init__(self, text: str, what: str):
        self.s = text
        self.i = 0
        self.what = what

    def fail(self, why: str):
        raise SFVError(f"{self.what}: not an RFC 8941 structured field at character {self.i}: {why}")

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_sp(self):
        while self.peek() == " ":
            self.i += 1

    def skip_ows(self):
        while self.peek() and self.peek() in " \t":
            self.i += 1

    # RFC 8941 section 4.2.2
    def dictionary(self) -> list:
        out, seen = [], set()
        while self.i < len(self.s):
            key = self.key()
            if key in seen:
                self.fail(f"the dictionary key {key!r} appears twice")  # [dlv-request-verify] step 1
            seen.add(key)
            if self.peek() == "=":
                self.i += 1
                member = self.item_or_inner_list()
            else:
                member = (True, self.parameters())
            out.append((key, member))
            self.skip_ows()
            if self.i >= len(self.s):
                return out
            if self.peek() != ",":
                self.fail("expected ',' between dictionary members")
            self.i += 1
            self.skip_ows()
            if self.i >= len(self.s):
                self.fail("a trailing ','")
        return out

    def item_or_inner_list(self):
        if self.peek() == "(":
            return self.inner_list()
        return self.item()

    # 4.2.1.2
    def inner_list(self):
        self.i += 1  # "("
        items = []
        while self.i < len(self.s):
            self.skip_sp()
            if self.peek() == ")":
                self.i += 1
                return (InnerList(tuple(items)), self.parameters())
            items.append(self.item())
            if self.peek() not in (" ", ")"):
                self.fail("expected ' ' or ')' in an inner list")
        self.fail("an inner list without ')'")

    # 4.2.3
    def item(self):
        return (self.bare_item(), self.parameters())

    def bare_item(self):
        c = self.peek()
        if c == "-" or c in _DIGIT:
            return self.number()
        if c == '"':
            return self.string()
        if c == ":":
            return self.byte_sequence()
        if c == "?":
            return self.boolean()
        if c in _ALPHA or c == "*":
            return self.token()
        self.fail(f"no item starts with {c!r}" if c else "the value ends where an item should start")

    # 4.2.3.2
    def parameters(self) -> list:
        out, seen = [], set()
        while self.peek() == ";":
            self.i += 1
            self.skip_sp()
            key = self.key()
            if key in seen:
                self.fail(f"the parameter {key!r} appears twice")  # [dlv-request-verify] step 1
            seen.add(key)
            value = True
            if self.peek() == "=":
                self.i += 1
                value = self.bare_item()
            out.append((key, value))
        return out

    # 4.2.3.3
    def key(self) -> str:
        if self.peek() not in _KEY_FIRST or not self.peek():
            self.fail("a key starts with a lower-case letter or '*'")
        start = self.i
        while self.peek() and self.peek() in _KEY_REST:
            self.i += 1
        return self.s[start:self.i]

    # 4.2.4
    def number(self):
        sign = 1
        if self.peek() == "-":
            sign = -1
            self.i += 1
        if not (self.peek() and self.peek() in _DIGIT):
            self.fail("a number needs a digit")
        digits, is_decimal = "", False
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in _DIGIT:
                digits += c
            elif c == "." and not is_decimal:
                if len(digits) > 12:
                    self.fail("a decimal has at most 12 integer digits")
                digits += c
                is_decimal = True
            else:
                break
            self.i += 1
            if not is_decimal and len(digits) > 15:
                self.fail("an integer has at most 15 digits")
            if is_decimal and len(digits) > 16:
                self.fail("a decimal has at most 16 characters")
        if not is_decimal:
            return sign * int(digits)
        if digits.endswith("."):
            self.fail("a decimal ends with '.'")
        if len(digits) - digits.index(".") - 1 > 3:
            self.fail("a decimal has at most 3 fraction digits")
        return sign * decimal.Decimal(digits)

    # 4.2.5
    def string(self) -> str:
        self.i += 1
        out = []
        while self.i < len(self.s):
            c = self.s[self.i]
            self.i += 1
            if c == "\\":
                if self.i >= len(self.s):
                    self.fail("a string ends after '\\'")
                n = self.s[self.i]
                self.i += 1
                if n not in ('"', "\\"):
                    self.fail(f"'\\{n}' is not an escape of a string")
                out.append(n)
            elif c == '"':
                return "".join(out)
            elif not 0x20 <= ord(c) <= 0x7E:
                self.fail(f"character U+{ord(c):04X} in a string")
            else:
                out.append(c)
        self.fail("a string without its closing '\"'")

    # 4.2.6
    def token(self) -> Token:
        start = self.i
        self.i += 1
        while self.peek() and self.peek() in _TOKEN_REST:
            self.i += 1
        return Token(self.s[start:self.i])

    # 4.2.7
    def byte_sequence(self) -> ByteSequence:
        self.i += 1
        end = self.s.find(":", self.i)
        if end < 0:
            self.fail("a byte sequence without its closing ':'")
        text = self.s[self.i:end]
        if any(c not in _BASE64 for c in text):
            self.fail("a byte sequence holds a character outside base64")
        self.i = end + 1
        core = text.rstrip("=")
        if "=" in core or len(text) - len(core) > 2 or len(core) % 4 == 1:
            self.fail("a byte sequence that is not base64")
        try:  # padding synthesized; non-zero fill bits accepted here (RFC 8941 4.2.7)
            data = base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
        except (binascii.Error, ValueError):
            self.fail("a byte sequence that is not base64")
        return ByteSequence(data, text)

    # 4.2.8
    def boolean(self) -> bool:
        self.i += 1
        c = self.peek()
        if c not in ("0", "1") or not c:
            self.fail("a boolean is ?0 or ?1")
        self.i += 1
        return c == "1"


def parse_dictionary(value: str, what: str) -> list:
    """RFC 8941 section 4.2 with a Dictionary as the field type; duplicates rejected."""
    if any(ord(c) > 0x7E or (ord(c) < 0x20 and c != "\t") for c in value):
        raise SFVError(f"{what}: a character outside visible ASCII")
    p = _Parser(value, what)
    p.skip_sp()
    out = p.dictionary()
    p.skip_sp()
    if p.i != len(p.s):
        p.fail("characters after the dictionary")
    return out


# ---------------------------------------------------------------- serialization (4.1)

def serialize_bare_item(v) -> str:
    if v is True:
        return "?1"
    if v is False:
        return "?0"
    if type(v) is int:
        if abs(v) > 999_999_999_999_999:
            raise SFVError("an integer beyond RFC 8941's 15 digits")
        return str(v)
    if isinstance(v, decimal.Decimal):
        q = v.quantize(decimal.Decimal("0.001"), rounding=decimal.ROUND_HALF_EVEN)
        sign = "-" if q < 0 else ""
        integer, frac = f"{abs(q):f}".split(".")
        if len(integer) > 12:
            raise SFVError("a decimal beyond RFC 8941's 12 integer digits")
        return f"{sign}{integer}.{frac.rstrip('0') or '0'}"
    if isinstance(v, str):
        if any(not 0x20 <= ord(c) <= 0x7E for c in v):
            raise SFVError("a string outside visible ASCII")
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, Token):
        return v.value
    if isinstance(v, ByteSequence):
        return ":" + base64.b64encode(v.data).decode("ascii") + ":"
    if isinstance(v, (bytes, bytearray)):
        return ":" + base64.b64encode(bytes(v)).decode("ascii") + ":"
    raise SFVError(f"no structured field value of type {type(v).__name__}")


def serialize_parameters(params) -> str:
    return "".join(f";{k}" if v is True else f";{k}={serialize_bare_item(v)}" for k, v in params)


def serialize_item(item) -> str:
    value, params = item
    return serialize_bare_item(value) + serialize_parameters(params)


def serialize_inner_list(items, params) -> str:
    """RFC 8941 section 4.1.1.1: "(" items joined by one SP ")" then the parameters."""
    return "(" + " ".join(serialize_item(i) for i in items) + ")" + serialize_parameters(params)
