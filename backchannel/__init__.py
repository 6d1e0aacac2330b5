"""backchannel: a records-request email dump as a corpus a newsroom can question."""

__version__ = "0.2.0"
