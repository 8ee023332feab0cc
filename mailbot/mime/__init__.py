"""Reading real-world MIME: charsets, headers, parameters, addresses and parts of mail as it really arrives."""
