"""Build a whole case holding a marker everywhere a person can type, close it, move the clock
five years and a day on, and carry out the destruction list (for leak tests).

Run as `python -m tests.dossier.marker_destruction MARKER` with TAFEL_VAR_DIR (SQLite) or
DATABASE_URL set; the database must be migrated.
"""

import os
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def main(marker: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    import time_machine
    from django.contrib.auth.models import Group

    from agreements.services import action_add, action_review, agreement_write, approval_record
    from cases.models import CaseKind, Declaration
    from cases.services import case_assign, case_transition, conflict_declare, note_write
    from dossier.services import destruction_approve, destruction_execute, destruction_propose
    from parties.services import consent_record, referral_make
    from scheduling.services import session_record
    from tests.factories import UserFactory

    amsterdam = ZoneInfo("Europe/Amsterdam")
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("coordinator", "mediator", "supervisor")
    }
    users = {}
    for name in groups:
        users[name] = UserFactory(username=f"d-{name}")
        users[name].groups.add(groups[name])
    mediator, supervisor = users["mediator"], users["supervisor"]
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=amsterdam)) as clock:
        case = referral_make(
            referred_by=users["coordinator"],
            kind=CaseKind.objects.get_or_create(
                code="inter_group",
                defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"},
            )[0],
            title=f"Vernietigtest {marker}",
            referring_organisation="Gemeente Utrecht",
            referral_reason=f"Reden {marker}",
            urgency="normal",
            safety_concern=False,
            parties=[
                {
                    "kind": "person",
                    "name": f"Persoon {marker}",
                    "email": f"{marker.lower()}@voorbeeld.nl",
                    "phone": marker,
                },
                {"kind": "group", "name": f"Groep {marker}", "organisation": f"Org {marker}"},
            ],
        )
        case_assign(case=case, lead=mediator, co_mediators=[], actor=supervisor)
        conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
        case = case_transition(case=case, name="accept", actor=mediator)
        for participation in case.participations.all():
            consent_record(
                participation=participation,
                signed_on=datetime.now(amsterdam).date(),
                signed_by=f"Getekend {marker}",
                actor=mediator,
            )
        case = case_transition(case=case, name="start_sessions", actor=mediator)
        for kind in ("working", "dossier"):
            note_write(
                case=case, author=mediator, kind=kind, title=f"T {marker}", body=f"B {marker}"
            )
        session_record(
            case=case,
            kind="joint",
            channel="in_person",
            starts_at=datetime.now(amsterdam) - timedelta(hours=3),
            duration_minutes=90,
            actor=mediator,
            participations=list(case.participations.all()),
            mediators=[mediator],
            place=f"Buurthuis {marker}",
        )
        case = case_transition(case=case, name="reach_agreement", actor=mediator)
        agreement = agreement_write(case=case, text=f"Afspraak {marker}", actor=mediator)
        action = action_add(
            agreement=agreement,
            description=f"Actie {marker}",
            owner=None,
            due_on=datetime.now(amsterdam).date() + timedelta(days=14),
            actor=mediator,
        )
        agreement.refresh_from_db()
        for participation in case.participations.all():
            approval_record(
                agreement=agreement,
                participation=participation,
                decision="approved",
                method="paper",
                decided_on=datetime.now(amsterdam).date(),
                actor=mediator,
            )
        case = case_transition(case=case, name="start_follow_up", actor=mediator)
        action_review(action=action, status="done", comment=f"Gedaan {marker}", actor=mediator)
        case = case_transition(
            case=case,
            name="close",
            actor=mediator,
            reason=f"Afgerond {marker}",
            outcome="full_agreement",
        )
        print("case closed")
        clock.move_to(datetime(2031, 3, 4, 10, tzinfo=amsterdam))
        proposal = destruction_propose(actor=None)
        destruction_approve(proposal=proposal, actor=supervisor)
        destruction_execute(proposal=proposal, actor=supervisor)
        print("destroyed", proposal.items.count())


if __name__ == "__main__":
    main(sys.argv[1])
