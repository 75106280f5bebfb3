"""``coi reconcile``: hold a meeting's declarations to its flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.reconcile import Reconciliation
    from coi.services.checking import Checked


@dataclass(frozen=True)
class Reconciled:
    """A meeting's check, its reconciliation, and whether anything was minuted at all."""

    checked: Checked
    result: Reconciliation
    minuted: bool


def reconcile(s: Session, meeting: str, policy_file: Path | None = None) -> Reconciled:
    """Compare the flags of ``meeting`` with the declarations minuted for it, counting
    attendance where it was recorded (``domain.reconcile``)."""
    from coi.domain.reconcile import reconcile as compare
    from coi.services.checking import Policies, find_meeting, run_check
    from coi.services.rename import declarations
    from coi.store.rota import read_attendance

    policies = Policies(policy_file)
    m = find_meeting(s, meeting)
    checked = run_check(s, m, policies)
    # Through the aliases: entries minuted before a rename keep the ids of the time.
    made = declarations(s, meeting=m.id)
    present = {a.person: a.status for a in read_attendance(s, meetings=[m.id])}
    result = compare(
        m.id,
        checked.result.flags,
        made,
        attendance=present,
        items={i.number: i for i in m.items},
        interests={i.id: i for i in checked.register.interests},
        names=checked.names(),
    )
    return Reconciled(checked, result, bool(made))
