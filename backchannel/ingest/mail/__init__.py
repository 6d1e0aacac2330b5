"""Internet mail: RFC 822 messages, alone (.eml, .emlx) or in mbox files, and the parsing
behind them (the quick parse, the multipart boundary shim, streamed payloads)."""
