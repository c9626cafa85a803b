// Derivation: being written.
