"""Write an agreement, an action, a review comment and a summary holding a marker, in a real
database (for leak tests).

Run as `python -m tests.cases.marker_agreement MARKER` with TAFEL_VAR_DIR (SQLite) or
DATABASE_URL set; the database must be migrated. It logs at DEBUG level, as a careless operator
might.
"""

import os
import sys


def main(marker: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from agreements.services import (
        action_add,
        action_review,
        agreement_read,
        agreement_write,
        approval_record,
        party_participations,
        summary_consent_record,
        summary_for_referrer,
        summary_write,
    )
    from cases.models import Case, CaseKind, CaseStatus, Declaration
    from cases.services import case_assign, case_transition, conflict_declare
    from parties.services import consent_record, referral_make
    from tests.factories import UserFactory

    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("coordinator", "mediator", "supervisor")
    }
    coordinator = UserFactory(username="a-coordinator")
    coordinator.groups.add(groups["coordinator"])
    mediator = UserFactory(username="a-mediator")
    mediator.groups.add(groups["mediator"])
    supervisor = UserFactory(username="a-supervisor")
    supervisor.groups.add(groups["supervisor"])
    case = referral_make(
        referred_by=coordinator,
        kind=CaseKind.objects.get_or_create(
            code="inter_group", defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"}
        )[0],
        title="Lektest",
        referring_organisation="Gemeente Utrecht",
        referral_reason="…",
        urgency="normal",
        safety_concern=False,
        parties=[{"kind": "person", "name": "Partij Een"}, {"kind": "group", "name": "Groep Twee"}],
    )
    case_assign(case=case, lead=mediator, co_mediators=[], actor=supervisor)
    conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    case = case_transition(case=case, name="accept", actor=mediator)
    today = timezone.localdate()
    parties = list(party_participations(case))
    for participation in parties:
        consent_record(participation=participation, signed_on=today, actor=mediator)
    case = case_transition(case=case, name="start_sessions", actor=mediator)
    # Until reach_agreement exists (it needs a joint session from the scheduling app).
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.AGREEMENT)
    case = Case.objects.get(pk=case.pk)

    agreement = agreement_write(case=case, text=f"Afspraak {marker}", actor=mediator)
    action = action_add(
        agreement=agreement,
        description=f"Actie {marker}",
        owner=parties[0],
        due_on=today,
        actor=mediator,
    )
    agreement = agreement_write(case=case, text=f"Nieuwe afspraak {marker}", actor=mediator)
    for participation in parties:
        approval_record(
            agreement=agreement,
            participation=participation,
            decision="approved",
            method="paper",
            decided_on=today,
            actor=mediator,
        )
    summary = summary_write(case=case, text=f"Samenvatting {marker}", actor=mediator)
    for participation in parties:
        summary_consent_record(
            summary=summary, participation=participation, agreed_on=today, actor=mediator
        )
    case = case_transition(case=case, name="start_follow_up", actor=mediator)
    action_review(action=action, status="done", comment=f"Opmerking {marker}", actor=mediator)
    agreement.refresh_from_db()
    opened = agreement_read(agreement=agreement, reader=mediator)
    assert marker in opened.text and marker in opened.actions[0].review_comment
    assert marker in summary_for_referrer(case=case, reader=coordinator)
    case_transition(case=case, name="close", actor=mediator, outcome="full_agreement")
    print("agreement written")


if __name__ == "__main__":
    main(sys.argv[1])
