// Placeholder; replaced by the trust module.
public enum DialogueTrustPlaceholder {}
