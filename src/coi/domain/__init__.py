"""Frozen dataclasses and the pure rules over them. Imports nothing from cli/ or store/."""
