"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:33:47.955728
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "bodies",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("parent", sa.String(length=120), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["parent"], ["bodies.id"], name=op.f("fk_bodies_parent_bodies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
    )
    op.create_table(
        "log_entries",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("meeting", sa.String(length=120), nullable=True),
        sa.Column("person", sa.String(length=120), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_log_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_log_entries_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_log_entries_prev_hash")),
    )
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_entries_meeting"), ["meeting"], unique=False)
        batch_op.create_index(batch_op.f("ix_log_entries_person"), ["person"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("service_areas", sa.JSON(), nullable=False),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("dissolved", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "affiliations",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["on_behalf_of"],
            ["organisations.id"],
            name=op.f("fk_affiliations_on_behalf_of_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.id"],
            name=op.f("fk_affiliations_organisation_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["people.id"], name=op.f("fk_affiliations_person_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_affiliations")),
    )
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_affiliations_organisation"), ["organisation"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_affiliations_person"), ["person"], unique=False)

    op.create_table(
        "away",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["person"], ["people.id"], name=op.f("fk_away_person_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away")),
    )
    with op.batch_alter_table("away", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_away_person"), ["person"], unique=False)

    op.create_table(
        "body_commissioners",
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body"], ["bodies.id"], name=op.f("fk_body_commissioners_body_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.id"],
            name=op.f("fk_body_commissioners_organisation_organisations"),
        ),
        sa.PrimaryKeyConstraint("body", "organisation", name=op.f("pk_body_commissioners")),
    )
    op.create_table(
        "body_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["body"], ["bodies.id"], name=op.f("fk_body_members_body_bodies")),
        sa.ForeignKeyConstraint(
            ["on_behalf_of"],
            ["organisations.id"],
            name=op.f("fk_body_members_on_behalf_of_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["people.id"], name=op.f("fk_body_members_person_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_members")),
    )
    with op.batch_alter_table("body_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_members_body"), ["body"], unique=False)
        batch_op.create_index(batch_op.f("ix_body_members_person"), ["person"], unique=False)

    op.create_table(
        "gifts",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("offeror", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["person"], ["people.id"], name=op.f("fk_gifts_person_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gifts")),
    )
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gifts_person"), ["person"], unique=False)

    op.create_table(
        "interests",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=True),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.Column("service_areas", sa.JSON(), nullable=False),
        sa.Column("counterparties", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.Column("action_agreed", sa.Text(), nullable=False),
        sa.Column("publish", sa.Boolean(), nullable=False),
        sa.Column("withheld_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(person IS NULL) <> (organisation IS NULL)",
            name=op.f("ck_interests_exactly_one_holder"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.id"],
            name=op.f("fk_interests_organisation_organisations"),
        ),
        sa.ForeignKeyConstraint(["person"], ["people.id"], name=op.f("fk_interests_person_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
    )
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interests_organisation"), ["organisation"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interests_person"), ["person"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["body"], ["bodies.id"], name=op.f("fk_meetings_body_bodies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_body"), ["body"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "relations",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source"], ["organisations.id"], name=op.f("fk_relations_source_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["target"], ["organisations.id"], name=op.f("fk_relations_target_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relations_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_target"), ["target"], unique=False)

    op.create_table(
        "seats",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("mandate", sa.Text(), nullable=False),
        sa.Column("selection", sa.String(length=30), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.CheckConstraint("places >= 1", name=op.f("ck_seats_places_positive")),
        sa.ForeignKeyConstraint(["body"], ["bodies.id"], name=op.f("fk_seats_body_bodies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seats")),
    )
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seats_body"), ["body"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("meeting", sa.String(length=120), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("service_areas", sa.JSON(), nullable=False),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_meetings")
        ),
        sa.PrimaryKeyConstraint("meeting", "number", name=op.f("pk_agenda_items")),
    )
    op.create_table(
        "attendance",
        sa.Column("meeting", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("substitute_for", sa.String(length=120), nullable=True),
        sa.Column("seat", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting"], ["meetings.id"], name=op.f("fk_attendance_meeting_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["people.id"], name=op.f("fk_attendance_person_people")
        ),
        sa.ForeignKeyConstraint(["seat"], ["seats.id"], name=op.f("fk_attendance_seat_seats")),
        sa.ForeignKeyConstraint(
            ["substitute_for"], ["people.id"], name=op.f("fk_attendance_substitute_for_people")
        ),
        sa.PrimaryKeyConstraint("meeting", "person", name=op.f("pk_attendance")),
    )
    op.create_table(
        "meeting_guests",
        sa.Column("meeting", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting"], ["meetings.id"], name=op.f("fk_meeting_guests_meeting_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["people.id"], name=op.f("fk_meeting_guests_person_people")
        ),
        sa.PrimaryKeyConstraint("meeting", "person", name=op.f("pk_meeting_guests")),
    )
    op.create_table(
        "rota_slots",
        sa.Column("seat", sa.String(length=120), nullable=False),
        sa.Column("meeting", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting"], ["meetings.id"], name=op.f("fk_rota_slots_meeting_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["people.id"], name=op.f("fk_rota_slots_person_people")
        ),
        sa.ForeignKeyConstraint(["seat"], ["seats.id"], name=op.f("fk_rota_slots_seat_seats")),
        sa.PrimaryKeyConstraint("seat", "meeting", "person", name=op.f("pk_rota_slots")),
    )
    op.create_table(
        "seat_pool",
        sa.Column("seat", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["on_behalf_of"],
            ["organisations.id"],
            name=op.f("fk_seat_pool_on_behalf_of_organisations"),
        ),
        sa.ForeignKeyConstraint(["person"], ["people.id"], name=op.f("fk_seat_pool_person_people")),
        sa.ForeignKeyConstraint(["seat"], ["seats.id"], name=op.f("fk_seat_pool_seat_seats")),
        sa.PrimaryKeyConstraint("seat", "person", name=op.f("pk_seat_pool")),
    )


def downgrade() -> None:

    op.drop_table("seat_pool")
    op.drop_table("rota_slots")
    op.drop_table("meeting_guests")
    op.drop_table("attendance")
    op.drop_table("agenda_items")
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seats_body"))

    op.drop_table("seats")
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_target"))
        batch_op.drop_index(batch_op.f("ix_relations_source"))

    op.drop_table("relations")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_body"))

    op.drop_table("meetings")
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interests_person"))
        batch_op.drop_index(batch_op.f("ix_interests_organisation"))

    op.drop_table("interests")
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gifts_person"))

    op.drop_table("gifts")
    with op.batch_alter_table("body_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_members_person"))
        batch_op.drop_index(batch_op.f("ix_body_members_body"))

    op.drop_table("body_members")
    op.drop_table("body_commissioners")
    with op.batch_alter_table("away", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_away_person"))

    op.drop_table("away")
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_affiliations_person"))
        batch_op.drop_index(batch_op.f("ix_affiliations_organisation"))

    op.drop_table("affiliations")
    op.drop_table("people")
    op.drop_table("organisations")
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_entries_person"))
        batch_op.drop_index(batch_op.f("ix_log_entries_meeting"))

    op.drop_table("log_entries")
    op.drop_table("bodies")
