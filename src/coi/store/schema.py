"""The database schema: one SQLAlchemy 2.0 typed table per record of the register.

Lists of plain values (aliases, service areas, references) are JSON columns; links
between records that the database must keep honest (seat pools, commissioners,
guests, holders) are foreign keys. Times are stored as naive UTC and read back aware.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coi.domain.words import DEFAULT_TIMEZONE

# Stable constraint names so that migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC was required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


ORG_FK = "organisations.id"
PERSON_FK = "people.id"


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    identifiers: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    founded: Mapped[dt.date | None] = mapped_column(Date)
    dissolved: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class RelationRow(Base):
    __tablename__ = "relations"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey(ORG_FK), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    target: Mapped[str] = mapped_column(ForeignKey(ORG_FK), index=True)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class AffiliationRow(Base):
    __tablename__ = "affiliations"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), index=True)
    organisation: Mapped[str] = mapped_column(ForeignKey(ORG_FK), index=True)
    role: Mapped[str] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(ForeignKey(ORG_FK))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class BodyRow(Base):
    __tablename__ = "bodies"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    parent: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    quorum: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    policy: Mapped[str] = mapped_column(Text, default="", server_default="")
    secretary: Mapped[str] = mapped_column(String(300), default="", server_default="")
    short_name: Mapped[str] = mapped_column(String(40), default="", server_default="")


class BodyCommissionerRow(Base):
    __tablename__ = "body_commissioners"
    body: Mapped[str] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    organisation: Mapped[str] = mapped_column(ForeignKey(ORG_FK), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class BodyMemberRow(Base):
    __tablename__ = "body_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), index=True)
    role: Mapped[str] = mapped_column(String(200), default="member")
    on_behalf_of: Mapped[str | None] = mapped_column(ForeignKey(ORG_FK))
    voting: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SeatRow(Base):
    __tablename__ = "seats"
    __table_args__ = (CheckConstraint("places >= 1", name="places_positive"),)
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    body: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    places: Mapped[int] = mapped_column(Integer, default=1)
    mandate: Mapped[str] = mapped_column(Text, default="")
    selection: Mapped[str] = mapped_column(String(30))
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    voting: Mapped[bool] = mapped_column(Boolean, default=True)


class SeatPoolRow(Base):
    __tablename__ = "seat_pool"
    seat: Mapped[str] = mapped_column(ForeignKey("seats.id"), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), primary_key=True)
    on_behalf_of: Mapped[str | None] = mapped_column(ForeignKey(ORG_FK))
    position: Mapped[int] = mapped_column(Integer, default=0)


class InterestRow(Base):
    __tablename__ = "interests"
    __table_args__ = (
        CheckConstraint("(person IS NULL) <> (organisation IS NULL)", name="exactly_one_holder"),
    )
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    category: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    person: Mapped[str | None] = mapped_column(ForeignKey(PERSON_FK), index=True)
    organisation: Mapped[str | None] = mapped_column(ForeignKey(ORG_FK), index=True)
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    counterparties: Mapped[list[str]] = mapped_column(JSON, default=list)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    declared_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    action_agreed: Mapped[str] = mapped_column(Text, default="")
    publish: Mapped[bool] = mapped_column(Boolean, default=True)
    withheld_reason: Mapped[str] = mapped_column(Text, default="")


class GiftRow(Base):
    __tablename__ = "gifts"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), index=True)
    offeror: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    offered_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_on: Mapped[dt.date | None] = mapped_column(Date)


class MeetingRow(Base):
    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    body: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Raised whenever the meeting changes, so calendar exports can tell clients to update.
    sequence: Mapped[int] = mapped_column(Integer, default=0)


class MeetingGuestRow(Base):
    __tablename__ = "meeting_guests"
    meeting: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), primary_key=True)


class AgendaItemRow(Base):
    __tablename__ = "agenda_items"
    meeting: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    organisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    value: Mapped[float | None] = mapped_column(Float)
    # Each paper as {"name": ..., "pages": [text, ...]}: read once when added, so a check
    # never opens a file.
    papers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class AttendanceRow(Base):
    __tablename__ = "attendance"
    meeting: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    substitute_for: Mapped[str | None] = mapped_column(ForeignKey(PERSON_FK))
    seat: Mapped[str | None] = mapped_column(ForeignKey("seats.id"))


class AwayRow(Base):
    __tablename__ = "away"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")


class RotaSlotRow(Base):
    __tablename__ = "rota_slots"
    seat: Mapped[str] = mapped_column(ForeignKey("seats.id"), primary_key=True)
    meeting: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey(PERSON_FK), primary_key=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    sequence: Mapped[int] = mapped_column(Integer, default=0)


class IdAliasRow(Base):
    """An id a record had before ``coi ... rename``: lookups still find the record by it,
    and the declarations log, which is append-only and keeps the ids it was written
    with, is read through it. ``new_id`` is always the record's current id."""

    __tablename__ = "id_aliases"
    section: Mapped[str] = mapped_column(String(30), primary_key=True)
    old_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(120), index=True)
    renamed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LogEntryRow(Base):
    """The declarations log: append only, each entry hashing the one before it.

    ``prev_hash`` is unique, so two writers that raced for the same tail cannot both
    commit: the loser retries on the new tail and the chain never forks.
    """

    __tablename__ = "log_entries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    meeting: Mapped[str | None] = mapped_column(String(120), index=True)
    person: Mapped[str | None] = mapped_column(String(120), index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
