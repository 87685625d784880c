"""faxintake's application layer: the command line, `up` (everything on one machine) and
evaluation."""

__version__ = "0.1.0"
