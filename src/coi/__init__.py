"""coi: a conflict-of-interest register and meeting-governance tool for commissioning bodies."""

__version__ = "0.1.0"
