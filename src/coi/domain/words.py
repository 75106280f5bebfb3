"""The fixed vocabularies of coi (DESIGN.md's words) as string enums.

Kept apart from ``coi.domain.model`` so that the command line can offer these as
choices without loading the whole model at start-up.
"""

from __future__ import annotations

from enum import StrEnum

# Where a body sits unless it says otherwise; times are shown in the body's zone.
DEFAULT_TIMEZONE = "Europe/London"


class OrgKind(StrEnum):
    PROVIDER = "provider"
    COMMISSIONER = "commissioner"
    INFRASTRUCTURE = "infrastructure"
    CONSORTIUM = "consortium"
    FORUM = "forum"
    NETWORK = "network"
    OTHER = "other"


class RelationKind(StrEnum):
    MEMBER_OF = "member_of"
    SUBSIDIARY_OF = "subsidiary_of"
    PARTNER_OF = "partner_of"


class Category(StrEnum):
    """NHS England's four types of interest."""

    FINANCIAL = "financial"
    NON_FINANCIAL_PROFESSIONAL = "non-financial-professional"
    NON_FINANCIAL_PERSONAL = "non-financial-personal"
    INDIRECT = "indirect"


class InterestKind(StrEnum):
    PROVIDES_SERVICE = "provides-service"
    HOLDS_CONTRACT = "holds-contract"
    BIDDING_FOR_TENDER = "bidding-for-tender"
    EMPLOYMENT = "employment"
    TRUSTEESHIP = "trusteeship"
    DIRECTORSHIP = "directorship"
    SHAREHOLDING = "shareholding"
    MEMBERSHIP = "membership"
    FAMILY = "family"
    GIFT_HOSPITALITY = "gift-hospitality"
    OTHER = "other"


class Selection(StrEnum):
    ELECTED = "elected"
    NOMINATED = "nominated"
    APPOINTED = "appointed"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class ItemKind(StrEnum):
    DECISION = "decision"
    PROCUREMENT = "procurement"
    CONTRACT_AWARD = "contract-award"
    PERFORMANCE_REVIEW = "performance-review"
    DISCUSSION = "discussion"
    INFORMATION = "information"
    # Apologies, minutes, matters arising, any other business: nothing is decided about a
    # provider, so a contract with the commissioner is no reason to declare on them.
    PROCEDURAL = "procedural"


class Action(StrEnum):
    """What the policy asks of someone with an interest in an item, strongest first."""

    EXCLUDE = "exclude"
    WITHDRAW = "withdraw"
    NO_VOTE = "no-vote"
    DECLARE = "declare"
    NONE = "none"

    @property
    def strength(self) -> int:
        """Higher is stronger: exclude 4 … none 0."""
        return _ACTION_STRENGTH[self]


_ACTION_STRENGTH = {
    Action.EXCLUDE: 4,
    Action.WITHDRAW: 3,
    Action.NO_VOTE: 2,
    Action.DECLARE: 1,
    Action.NONE: 0,
}


class SlotStatus(StrEnum):
    """A rota place: held, or given up to someone else (kept so calendars cancel it)."""

    ASSIGNED = "assigned"
    SWAPPED_OUT = "swapped-out"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    SUBSTITUTE = "substitute"


class DeclaredAction(StrEnum):
    """What a person actually did after declaring (as minuted)."""

    WITHDREW = "withdrew"
    NO_VOTE = "no-vote"
    REMAINED = "remained"
    LEFT_MEETING = "left-meeting"
