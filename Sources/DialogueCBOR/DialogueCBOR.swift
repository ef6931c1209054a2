// Placeholder; replaced by the CBOR codec.
public enum DialogueCBORPlaceholder {}
