// Placeholder; replaced by the crypto module.
public enum DialogueCryptoPlaceholder {}
