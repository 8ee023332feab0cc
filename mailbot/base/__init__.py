"""The foundation every layer may use: small process-level helpers with no knowledge of mail or tickets."""
