"""Error classes of Spec/conformance.md#conf-errors."""

CLASSES = {
    "malformed",
    "truncated",
    "limits-exceeded",
    "unsupported-version",
    "bad-signature",
    "authentication-failed",
    "not-a-recipient",
    "address-mismatch",
    "weak-key",
    # Spec/delivery.md (conformance.md#conf-errors, added with the delivery chapter)
    "unknown-key",
    "expired",
    "replayed",
}


class DialogueError(Exception):
    """An error of one class, optionally with a finer `detail` code."""

    def __init__(self, cls: str, detail: str | None = None, message: str = ""):
        assert cls in CLASSES, cls
        super().__init__(message or detail or cls)
        self.cls = cls
        self.detail = detail
        self.message = message or detail or cls


# Encoding codes -> classes (conformance.md, "Mapping of finer codes onto classes").
def encoding_class(code: str) -> str:
    if code == "truncated":
        return "truncated"
    if code in ("too-deep", "too-large"):
        return "limits-exceeded"
    return "malformed"


# Identifier codes -> classes.
def identifier_class(code: str) -> str:
    return "unsupported-version" if code == "unknown-algorithm" else "malformed"
