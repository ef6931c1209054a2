// Placeholder; replaced by content identifiers.
public enum DialogueIdentifiersPlaceholder {}
