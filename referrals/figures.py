"""Loop-closure figures: cases opened and closed, days from referral to consult report,
overdue cases, denials by payer. For the referrals screen, CSV and Prometheus."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from referrals.states import OPEN_STATES
from referrals.timers import Timers
from referrals.worklist import due_of
from storage.models import ReferralCase, aware


@dataclass
class Figures:
    opened: int = 0
    closed: int = 0
    open_by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    median_days_to_report: float | None = None
    denials_by_payer: dict[str, int] = field(default_factory=dict)


def figures(session: Session, now: datetime, timers: Timers) -> Figures:
    out = Figures()
    days = []
    for case in session.scalars(select(ReferralCase).options(selectinload(ReferralCase.events))):
        out.opened += 1
        if case.state in OPEN_STATES:
            out.open_by_state[case.state] = out.open_by_state.get(case.state, 0) + 1
            due = due_of(case, timers)
            out.overdue += due is not None and due < now
        closed = next((e for e in case.events if e.to_state == "closed"), None)
        if closed:
            out.closed += 1
            days.append((aware(closed.at) - aware(case.opened_at)).total_seconds() / 86400)
        if any(e.to_state == "denied" for e in case.events):
            payer = case.payer or "unknown"
            out.denials_by_payer[payer] = out.denials_by_payer.get(payer, 0) + 1
    out.median_days_to_report = round(statistics.median(days), 1) if days else None
    return out


def figures_csv(found: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "key", "value"])
    writer.writerows(
        [
            ["cases_opened", "", found.opened],
            ["cases_closed", "", found.closed],
            ["overdue", "", found.overdue],
            ["median_days_referral_to_consult_report", "", found.median_days_to_report or ""],
        ]
    )
    writer.writerows(["open_by_state", state, count] for state, count in sorted(found.open_by_state.items()))
    writer.writerows(
        ["denials_by_payer", payer, count] for payer, count in sorted(found.denials_by_payer.items())
    )
    return out.getvalue()
