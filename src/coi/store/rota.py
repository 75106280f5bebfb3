"""Rota slots, away periods and attendance: read as domain objects, written in one place."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from coi.domain.model import RotaSlot
from coi.store import schema as s


def read_slots(
    session: Session, *, meetings: Sequence[str] | None = None, seats: Sequence[str] | None = None
) -> list[RotaSlot]:
    """Rota slots, optionally only for some meetings or seats, in a stable order."""
    query = select(s.RotaSlotRow)
    if meetings is not None:
        query = query.where(s.RotaSlotRow.meeting.in_(meetings))
    if seats is not None:
        query = query.where(s.RotaSlotRow.seat.in_(seats))
    rows = session.scalars(
        query.order_by(s.RotaSlotRow.seat, s.RotaSlotRow.meeting, s.RotaSlotRow.person)
    )
    return [
        RotaSlot(
            seat=r.seat,
            meeting=r.meeting,
            person=r.person,
            locked=r.locked,
            status=r.status,
            sequence=r.sequence,
        )
        for r in rows
    ]
