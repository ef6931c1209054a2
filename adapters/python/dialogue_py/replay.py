"""The `trust.replay` operation: a history checked as conformance.md [conf-replay-well-formed]
says, then replayed through a fresh in-memory trust state (trust.py), the clock set to each
event's `received`.

The whole history is checked before the first event is replayed, so an ill-formed history
gives no result at all; the first fault found, in the order of the checks, decides the class.
"""

import re

from . import address as addr
from . import card as cards
from . import ids, trust
from .errors import DialogueError

MAX_SKEW = 86_400  # one day
MAX_TIME = 2**53 - 1  # the largest integer every JSON reader holds exactly

# The members of each event type, in the order of its shape (conformance.md, `trust.replay`);
# "int" is a JSON integer, "strs" an array of strings, "str" a string.
_COMMON = [("type", "str"), ("received", "int")]
SHAPES = {
    "message": _COMMON + [("sender", "str"), ("card", "str"), ("message_id", "str"), ("date", "int"),
                          ("statements", "strs")],
    "unsigned": _COMMON + [("address", "str"), ("message_id", "str")],
    "statement": _COMMON + [("statement", "str")],
    "decision": _COMMON + [("decision", "str"), ("address", "str")],
}
DECISIONS = ("verify", "accept-change", "withdraw", "block", "unblock")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*\Z")


def _malformed(message: str) -> DialogueError:
    return DialogueError("malformed", None, message)


def _is_int(v) -> bool:
    """A JSON number without fraction or exponent: json gives those as int (bool is not one)."""
    return type(v) is int


def _has_type(v, kind: str) -> bool:
    if kind == "int":
        return _is_int(v)
    if kind == "strs":
        return isinstance(v, list) and all(isinstance(x, str) for x in v)
    if kind == "list":
        return isinstance(v, list)
    return isinstance(v, str)


def _check_members(obj: dict, shape: list, what: str):
    """Exactly the members of `shape`, each of its JSON type (step 2.2; step 1 for the input)."""
    names = [n for n, _ in shape]
    for name in obj:
        if name not in names:
            raise _malformed(f"{what} has a member {name!r} it does not define")
    for name, kind in shape:
        if name not in obj:
            raise _malformed(f"{what} has no member {name!r}")
        if not _has_type(obj[name], kind):
            raise _malformed(f"{what}: {name!r} is not of the type the shape gives")


def _in_range(v: int, limit: int, name: str, what: str) -> int:
    if not 0 <= v <= limit:
        raise _malformed(f"{what}: {name!r} is not from 0 to {limit}")
    return v


def _hex(text: str, name: str, what: str) -> bytes:
    """Hexadecimal: an even number of 0-9, a-f, A-F and nothing else (no spaces, which
    bytes.fromhex would skip)."""
    if not _HEX.match(text):
        raise _malformed(f"{what}: {name!r} is not hexadecimal")
    return bytes.fromhex(text)


def _identifier(text: str, kind: str, name: str, what: str) -> bytes:
    try:
        return ids.parse(text, kind)
    except DialogueError as e:
        raise _malformed(f"{what}: {name}: {e.message}") from None


def _typed_address(text: str, what: str) -> str:
    try:
        return addr.parse_input(text)
    except DialogueError as e:
        raise _malformed(f"{what}: address: {e.message}") from None


def _event(ev: dict, what: str) -> tuple:
    """Step 2.4: the values, in the order of the shape; returns (type, values...)."""
    kind = ev["type"]
    if kind == "message":
        try:
            sender = addr.check_canonical(ev["sender"])
        except DialogueError as e:
            raise _malformed(f"{what}: sender: {e.message}") from None
        card = cards.verify(_hex(ev["card"], "card", what))  # its own class, as card.verify
        if sender not in card.addresses:
            raise DialogueError("address-mismatch", None, f"{what}: {sender} is not on the card")
        mid = _identifier(ev["message_id"], "msg", "message_id", what)
        _in_range(ev["date"], MAX_TIME, "date", what)
        statements = [_hex(s, "statements", what) for s in ev["statements"]]
        return ("message", sender, card, mid, statements)
    if kind == "unsigned":
        address = _typed_address(ev["address"], what)
        return ("unsigned", address, _identifier(ev["message_id"], "msg", "message_id", what))
    if kind == "statement":
        return ("statement", _hex(ev["statement"], "statement", what))
    decision = ev["decision"]
    if decision not in DECISIONS:
        raise _malformed(f"{what}: unknown decision {decision!r}")
    address = _typed_address(ev["address"], what)
    fingerprint = None
    if decision == "verify":
        fingerprint = _identifier(ev["fingerprint"], "key", "fingerprint", what)
    return ("decision", decision, address, fingerprint)


def check(inp) -> tuple:
    """Checks a whole input; returns (clock_skew, [(received, event)])."""
    if not isinstance(inp, dict):
        raise _malformed("the input is not an object")
    _check_members(inp, [("clock_skew", "int"), ("events", "list")], "the input")
    skew = _in_range(inp["clock_skew"], MAX_SKEW, "clock_skew", "the input")
    events, previous = [], None
    for index, ev in enumerate(inp["events"]):
        what = f"event {index}"
        kind = ev.get("type") if isinstance(ev, dict) else None
        if not isinstance(kind, str) or kind not in SHAPES:
            raise _malformed(f"{what} is not an object with a known type")
        shape = SHAPES[kind]
        if kind == "decision" and ev.get("decision") == "verify":
            shape = shape + [("fingerprint", "str")]
        _check_members(ev, shape, f"{what} ({kind})")
        received = _in_range(ev["received"], MAX_TIME, "received", what)
        if previous is not None and received < previous:
            raise _malformed(f"{what}: received {received} is before the previous event's {previous}")
        previous = received
        events.append((received, _event(ev, what)))
    return skew, events


def replay(inp) -> dict:
    skew, events = check(inp)
    state = trust.TrustState(skew)
    results = []
    for now, ev in events:
        if ev[0] == "message":
            _, sender, card, mid, statements = ev
            results.append(state.observe(sender, card.identity_key, card.addresses, mid, statements, now))
        elif ev[0] == "unsigned":
            results.append(state.observe_unsigned(ev[1], ev[2], now))
        elif ev[0] == "statement":
            outcome, _severity = state.process_statement(ev[1], now)
            results.append({"statements": [outcome]})
        else:
            results.append({"decision": _decide(state, *ev[1:])})
    return {"results": results}


def _decide(state, decision: str, address: str, fingerprint) -> str:
    if decision == "verify":
        return state.verify(address, fingerprint)
    return {"accept-change": state.accept_change, "withdraw": state.withdraw, "block": state.block,
            "unblock": state.unblock}[decision](address)
