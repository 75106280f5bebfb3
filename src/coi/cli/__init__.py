"""Typer commands, one module per noun group: parse, call, render. No SQL, no rules."""
