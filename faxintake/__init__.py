"""faxintake: fax and document intake for medical practices."""

__version__ = "0.1.0"
