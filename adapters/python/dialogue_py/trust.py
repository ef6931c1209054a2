"""Trust on first use, in memory (Spec/trust.md).

`TrustState` is the receiver's trust store without the storage: bindings
([trust-binding]), the key chain ([trust-chain]), judged and held statements
([trust-statement-rules]), observed message identifiers with their verdicts
([trust-duplicate]) and blocked addresses. Each method is one atomic step of
[trust-store-atomic]; the event log ([trust-store-log]) is not kept, since no
operation reads it. Gaps of the chapter are cited as TRUST-GAPS Tn (SPEC-GAPS.md).
"""

from dataclasses import dataclass

from . import ids
from . import statement as stmts
from .errors import DialogueError

SKEW = 600  # S, seconds [trust-conventions]
MAX_CARRIED = 16  # statements per message [trust-statement-transport]

SEVERITY_RANK = {"info": 0, "notice": 1, "alarm": 2}

# [trust-verdicts], [trust-severity]; `statement-problem` takes the problem's severity
VERDICT_SEVERITY = {
    "first-contact": "info",
    "known": "info",
    "verified": "info",
    "key-changed": "alarm",
    "rotated": "notice",
    "revoked": "alarm",
    "superseded-key": "alarm",
    "conflicting-statements": "alarm",
    "downgrade": "alarm",
    "unsigned": "notice",
    "blocked": "notice",
    "look-alike": "alarm",
    "shared-key": "notice",
}

# the problems of [trust-statement-rules] and their severities
PROBLEM_SEVERITY = {
    "invalid": "notice",
    "expired": "notice",
    "future-dated": "notice",
    "rollback": "alarm",
    "conflict": "alarm",
}
IGNORED = {"replay", "restatement", "already-judged", "still-held", "already-revoked"}

# states [trust-states]
PINNED, VERIFIED, ALARM, FROZEN, REVOKED = "pinned", "verified", "key-change-alarm", "frozen", "revoked"

# status of a statement hash
APPLIED, JUDGED, HELD = "applied", "judged", "held"

# Which non-applied outcomes are "judged and not applied" and recorded, so that a later
# delivery is `already-judged` (TRUST-GAPS T9): every problem but `invalid` (which "is not
# recorded"), and the ignored outcomes that end a statement's processing for good.
RECORDED = {"expired", "rollback", "conflict", "restatement", "already-revoked"}


# ---------------------------------------------------------------- look-alikes [trust-look-alike]

_PAIRS = {"rn": "m", "vv": "w", "cl": "d"}
_SINGLE = {"0": "o", "1": "l", "i": "l", "5": "s", "3": "e", "4": "a", "6": "b", "8": "b", "9": "g",
           "2": "z", "7": "t", "_": "-", ".": "-"}


def skeleton(address: str) -> str:
    out, i = [], 0
    while i < len(address):
        two = address[i:i + 2]
        if two in _PAIRS:
            out.append(_PAIRS[two])
            i += 2
        else:
            out.append(_SINGLE.get(address[i], address[i]))
            i += 1
    return "".join(out)


def look_alike(a: str, b: str) -> bool:
    return a != b and skeleton(a) == skeleton(b)


def _bytewise(a: str) -> bytes:
    return a.encode("utf-8")


# ---------------------------------------------------------------- state

@dataclass
class Binding:
    address: str
    pin: bytes
    first: int
    last: int
    state: str = PINNED
    verified: bytes | None = None
    pending: bytes | None = None
    lookalike: str | None = None
    count: int = 1
    unsigned: int = 0


@dataclass
class KeyInfo:
    introduced: tuple | None = None  # (hash, sequence) of the applied rotation that introduced the key
    signed: stmts.Rotation | None = None  # the applied rotation it signed as the old key
    revoked: stmts.Revocation | None = None


@dataclass
class Observed:
    verdict: str
    severity: str


class TrustState:
    def __init__(self, skew: int = SKEW):
        self.skew = skew
        self.bindings: dict[str, Binding] = {}
        self.keys: dict[bytes, KeyInfo] = {}
        self.status: dict[bytes, str] = {}  # statement hash -> APPLIED / JUDGED / HELD
        self.held: dict[bytes, tuple] = {}  # hash -> (first receive time, statement bytes, Rotation)
        self.seen: dict[bytes, Observed] = {}  # binary message identifier -> first verdict
        self.blocked: set[str] = set()

    # ------------------------------------------------------------ the key chain [trust-chain]

    def key(self, k: bytes) -> KeyInfo:
        if k not in self.keys:
            self.keys[k] = KeyInfo()
        return self.keys[k]

    def is_revoked(self, k: bytes) -> bool:
        return k in self.keys and self.keys[k].revoked is not None

    def superseded(self, k: bytes, address: str) -> bool:
        r = self.keys[k].signed if k in self.keys else None
        return r is not None and address in r.addresses

    def chain_head(self, k: bytes, address: str) -> bytes:
        seen = {k}
        while self.superseded(k, address):
            k = self.keys[k].signed.new_key
            if k in seen:  # cannot happen (steps 4.5 to 4.7); never loop
                break
            seen.add(k)
        return k

    # ------------------------------------------------------------ statements [trust-statement-rules]

    def process_statement(self, data: bytes, now: int) -> tuple:
        """Process one statement at receive time `now`; returns (outcome, severity or None).
        `severity` is that of a problem, or of an applied statement; None when ignored."""
        try:
            st = stmts.decode(data)
        except DialogueError:
            return "invalid", PROBLEM_SEVERITY["invalid"]  # not recorded
        status = self.status.get(st.hash)
        if status == APPLIED:
            return "replay", None
        if status == JUDGED:
            return "already-judged", None
        if isinstance(st, stmts.Revocation):
            return self._revocation(st)
        return self._rotation(data, st, now)

    def _judge(self, h: bytes, outcome: str) -> tuple:
        if outcome in RECORDED:
            self.status[h] = JUDGED
            self.held.pop(h, None)
        return outcome, PROBLEM_SEVERITY.get(outcome)

    def _revocation(self, r: stmts.Revocation) -> tuple:
        if self.is_revoked(r.key):
            return self._judge(r.hash, "already-revoked")
        self.key(r.key).revoked = r
        self.status[r.hash] = APPLIED
        pinned = False
        for b in self.bindings.values():
            if b.pin == r.key:
                b.state, b.verified = REVOKED, None
                pinned = True
        return "applied", ("alarm" if pinned else "info")

    def _rotation(self, data: bytes, r: stmts.Rotation, now: int) -> tuple:
        O, N, s, h = r.old_key, r.new_key, r.sequence, r.hash
        # 4.1 created more than S in the future: held [trust-skew]
        if r.created > now + self.skew:
            if h in self.held:
                return "still-held", None
            self.held[h] = (now, data, r)
            self.status[h] = HELD
            return "future-dated", PROBLEM_SEVERITY["future-dated"]
        # 4.2 expired more than S ago
        if r.expires + self.skew < now:
            return self._judge(h, "expired")
        # 4.3 a revoked key
        if self.is_revoked(O) or self.is_revoked(N):
            return self._judge(h, "rollback")
        # 4.4 O already signed an applied rotation
        prior = self.keys[O].signed if O in self.keys else None
        if prior is not None:
            if prior.sequence == s and prior.new_key == N:
                return self._judge(h, "restatement")
            if prior.sequence == s:
                self._freeze(r, prior)
                return self._judge(h, "conflict")
            return self._judge(h, "rollback")
        # 4.5 N already signed an applied rotation: only as the missing link
        after = self.keys[N].signed if N in self.keys else None
        if after is not None and not (after.sequence == s + 1 and after.previous == h):
            return self._judge(h, "rollback")
        # 4.6 the chain of O
        intro = self.keys[O].introduced if O in self.keys else None
        if intro is not None and not (s == intro[1] + 1 and r.previous == intro[0]):
            return self._judge(h, "rollback")
        # 4.7 N introduced by another rotation
        if N in self.keys and self.keys[N].introduced is not None:
            return self._judge(h, "rollback")
        # 4.8 apply [trust-rotation-apply]
        self.key(O).signed = r
        self.key(N).introduced = (h, s)
        self.status[h] = APPLIED
        self.held.pop(h, None)
        for b in self.bindings.values():
            if b.address in r.addresses and b.pin == O and b.state != FROZEN:
                head = self.chain_head(N, b.address)
                b.pin = head
                b.state = REVOKED if self.is_revoked(head) else PINNED
                b.verified = None
                if b.pending == head:
                    b.pending = None
        return "applied", "notice"

    def _freeze(self, r: stmts.Rotation, other: stmts.Rotation) -> None:
        """[trust-conflict]"""
        listed = set(r.addresses) | set(other.addresses)
        for b in self.bindings.values():
            if b.address not in listed or b.state == REVOKED:
                continue
            keys = {r.old_key, r.new_key, other.new_key, self.chain_head(other.new_key, b.address)}
            if b.pin in keys:
                b.state, b.verified = FROZEN, None

    # ------------------------------------------------------------ observations [trust-observe-order]

    def observe(self, sender: str, key: bytes, card_addresses: list, message_id: bytes,
                statements: list, now: int) -> dict:
        # 1. duplicates
        if message_id in self.seen:
            o = self.seen[message_id]
            return {"verdict": o.verdict, "severity": o.severity, "duplicate": True, "statements": []}  # TRUST-GAPS T16
        outcomes, problems = [], []

        def run(data):
            outcome, sev = self.process_statement(data, now)
            outcomes.append(outcome)
            if outcome in PROBLEM_SEVERITY:
                problems.append((outcome, sev))

        b = self.bindings.get(sender)
        before = b.pin if b is not None else None
        # 2. carried statements, at most 16, in part order; a part over 8,192 bytes is not
        # read, has no outcome and does not count ([trust-statement-transport])
        readable = [data for data in statements if len(data) <= stmts.MAX_STATEMENT]
        for data in readable[:MAX_CARRIED]:
            run(data)
        # 3. held statements whose new key is K, oldest first (ties by hash). One that is
        # still not due is left alone and not reported (the trustvec vectors, TRUST-GAPS T10):
        # processing it would only say `still-held`.
        b = self.bindings.get(sender)
        if b is None or b.pin != key:
            due = sorted((t, h) for h, (t, _d, r) in self.held.items()
                         if r.new_key == key and not r.created > now + self.skew)
            for _t, h in due:
                if h in self.held:  # an earlier one may have settled it
                    run(self.held[h][1])
        # 4. judging
        verdict = self._judge_signed(sender, key, card_addresses, before, now)
        severity = VERDICT_SEVERITY[verdict]
        # 5. statement problems
        if verdict in ("known", "verified") and problems:
            worst = max(problems, key=lambda p: SEVERITY_RANK[p[1]])  # max keeps the first on ties
            if SEVERITY_RANK[worst[1]] > SEVERITY_RANK[severity]:
                verdict, severity = "statement-problem", worst[1]
        # 6. recording
        self.seen[message_id] = Observed(verdict, severity)
        return {"verdict": verdict, "severity": severity, "duplicate": False, "statements": outcomes}

    def _judge_signed(self, A: str, K: bytes, card_addresses: list, before, now: int) -> str:
        """[trust-transitions], first matching row."""
        b = self.bindings.get(A)
        if b is not None:
            b.count += 1
            b.last = now
        if A in self.blocked:  # 1
            return "blocked"
        if b is None:
            if self.is_revoked(K):  # 2
                return "revoked"
            if self.superseded(K, A):  # 3
                return "superseded-key"
            similar = sorted((x for x, o in self.bindings.items() if look_alike(x, A) and o.pin != K),
                             key=_bytewise)
            shared = [x for x, o in self.bindings.items() if o.pin == K and x not in card_addresses]
            b = self.bindings[A] = Binding(A, K, now, now)
            if similar:  # 4
                b.lookalike = similar[0]
                return "look-alike"
            if shared:  # 5
                return "shared-key"
            return "first-contact"  # 6
        P = b.pin
        if before is not None and before != P and K in (before, P):  # 7 (TRUST-GAPS T14)
            return "rotated"
        if K == P:
            if b.state == REVOKED:  # 8
                return "revoked"
            if b.state == FROZEN:  # 9
                return "conflicting-statements"
            if b.state == ALARM:  # 10
                return "key-changed"
            if b.state == VERIFIED:  # 11
                return "verified"
            if b.lookalike is not None:  # 12
                return "look-alike"
            return "known"  # 13
        if self.is_revoked(K):  # 14
            return "revoked"
        if self.superseded(K, A):  # 15
            return "superseded-key"
        b.pending = K
        if b.state == FROZEN:  # 16
            return "conflicting-statements"
        if b.state in (VERIFIED, ALARM):  # 17
            b.state = ALARM
            return "key-changed"
        return "key-changed"  # 18 (pinned), 19 (revoked)

    def observe_unsigned(self, address: str, message_id: bytes | None, now: int) -> dict:
        """[trust-downgrade]"""
        if message_id is not None and message_id in self.seen:
            o = self.seen[message_id]
            return {"verdict": o.verdict, "severity": o.severity, "duplicate": True, "statements": []}
        b = self.bindings.get(address)
        if address in self.blocked:
            verdict = "blocked"
        elif b is not None:
            verdict = "downgrade"
            b.unsigned += 1
        else:
            verdict = "unsigned"
        severity = VERDICT_SEVERITY[verdict]
        if message_id is not None:
            self.seen[message_id] = Observed(verdict, severity)
        return {"verdict": verdict, "severity": severity, "duplicate": False, "statements": []}

    # ------------------------------------------------------------ user decisions [trust-decisions]

    def verify(self, address: str, fingerprint: bytes | None) -> str:
        b = self.bindings.get(address)
        if b is None:
            return "unknown-address"
        if fingerprint != ids.identifier("dialogue-v1/identity-key", b.pin):
            return "outdated-fingerprint"
        if self.is_revoked(b.pin):
            return "revoked-key"
        b.state, b.verified, b.pending, b.lookalike = VERIFIED, b.pin, None, None
        return "ok"

    def accept_change(self, address: str) -> str:
        b = self.bindings.get(address)
        if b is None:
            return "unknown-address"  # TRUST-GAPS T19
        if b.pending is None:
            return "no-key-change"
        if self.is_revoked(b.pending):
            return "revoked-key"
        b.pin, b.state, b.verified, b.pending = b.pending, PINNED, None, None
        return "ok"

    def withdraw(self, address: str) -> str:
        b = self.bindings.get(address)
        if b is None:
            return "unknown-address"  # TRUST-GAPS T19
        if b.state not in (VERIFIED, ALARM):
            return "not-verified"
        b.state, b.verified = PINNED, None
        return "ok"

    def block(self, address: str) -> str:
        self.blocked.add(address)
        return "ok"

    def unblock(self, address: str) -> str:
        self.blocked.discard(address)
        return "ok"

