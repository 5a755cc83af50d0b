"""Provider plugins: small translators from each list-models API flavour into catalog entries."""
