"""The ground every other package stands on: plain data types, settings, logging, metrics
and process lifecycle, and the contract's schema. Imports nothing of faxintake's own."""
