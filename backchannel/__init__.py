"""backchannel: the email dump from a public-records request, as a corpus a newsroom can question."""

__version__ = "0.1.0"
