"""An independent Python implementation of the Dialogue protocol, written from Spec/ alone."""
