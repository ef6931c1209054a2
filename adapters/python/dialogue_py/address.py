"""Addresses (Spec/identities.md#addr).

The chapter gives no finer error codes for addresses (gap G5); the codes below
are this implementation's own and are never reported as `detail`.
"""

from .errors import DialogueError

_LOCAL = set("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
_LABEL = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class AddressError(DialogueError):
    def __init__(self, code: str, message: str = ""):
        super().__init__("malformed", None, f"{code}: {message}" if message else code)
        self.code = code


def check_canonical(address) -> str:
    """Validate a canonical address [addr-wire-canonical]; returns it unchanged."""
    if not isinstance(address, str):
        raise AddressError("not-text", "an address is a text string")
    if address.count("@") != 1:
        raise AddressError("at-sign", "an address has exactly one '@'")
    local, domain = address.split("@")
    if not 1 <= len(local) <= 64:
        raise AddressError("local-length", "the local part is 1 to 64 characters")
    for c in local:
        if c not in _LOCAL:
            raise AddressError("local-character", f"{c!r} is not allowed in the local part")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError("local-dot", "no leading, trailing or double '.' in the local part")
    check_domain(domain)
    return address


def check_domain(domain) -> str:
    """Validate the domain of a canonical address [addr]: what Delivery calls a canonical
    domain (a server document's domain, a peers-file domain, a keyid principal)."""
    if not isinstance(domain, str):
        raise AddressError("not-text", "a domain is a text string")
    if not 1 <= len(domain) <= 253:
        raise AddressError("domain-length", "the domain is 1 to 253 characters")
    for label in domain.split("."):
        if not 1 <= len(label) <= 63:
            raise AddressError("label-length", "a domain label is 1 to 63 characters")
        for c in label:
            if c not in _LABEL:
                raise AddressError("domain-character", f"{c!r} is not allowed in the domain")
        if label.startswith("-") or label.endswith("-"):
            raise AddressError("label-hyphen", "no leading or trailing '-' in a label")
    return domain


def domain_of(address: str) -> str:
    return address.split("@", 1)[1]


def parse_input(text: str) -> str:
    """An address typed by a person: ASCII upper case folded, then checked [addr-input]."""
    if not isinstance(text, str):
        raise AddressError("not-text")
    folded = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    return check_canonical(folded)


def parse(text: str, wire: bool) -> str:
    return check_canonical(text) if wire else parse_input(text)
