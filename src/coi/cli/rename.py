"""The ``rename`` command every record group has (org, person, body, seat, meeting),
made once: only the noun and the example differ."""

from __future__ import annotations

from typing import Annotated

import typer

from coi.cli import common


def add_rename(app: typer.Typer, section: str, noun: str, example: str) -> None:
    """Add ``rename OLD NEW`` to ``app``, renaming records of ``section``."""

    def rename(
        old: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
        new: Annotated[str, typer.Argument(help="The new id.")],
    ) -> None:
        from coi.services.rename import rename as change

        with common.session(write=True) as s:
            done = change(s, section, old, new)
        common.report(f"renamed {noun}", done.summary, True)

    article = "an" if noun[0] in "aeiou" else "a"
    rename.__doc__ = f"""Change {article} {noun}'s id everywhere it is used, in one
    transaction; the old id still finds it, and the declarations log keeps the ids it
    was written with.

    Example:

    \b
        {example}
    """
    app.command("rename")(rename)
