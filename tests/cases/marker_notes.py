"""Write notes and contact details holding a marker, in a real database (for leak tests).

Run as `python -m tests.cases.marker_notes MARKER` with TAFEL_VAR_DIR (SQLite) or DATABASE_URL
set; the database must be migrated. It logs at DEBUG level, as a careless operator might.
"""

import os
import sys


def main(marker: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from cases.models import CaseKind, Declaration
    from cases.services import (
        case_assign,
        conflict_declare,
        note_edit,
        note_read,
        note_write,
    )
    from parties.services import referral_make
    from tests.factories import UserFactory

    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("coordinator", "mediator", "supervisor")
    }
    coordinator = UserFactory(username="m-coordinator")
    coordinator.groups.add(groups["coordinator"])
    mediator = UserFactory(username="m-mediator")
    mediator.groups.add(groups["mediator"])
    supervisor = UserFactory(username="m-supervisor")
    supervisor.groups.add(groups["supervisor"])
    case = referral_make(
        referred_by=coordinator,
        # get_or_create: an earlier transactional test may have flushed the migration's rows.
        kind=CaseKind.objects.get_or_create(
            code="inter_group", defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"}
        )[0],
        title="Lektest",
        referring_organisation="Gemeente Utrecht",
        referral_reason="…",
        urgency="normal",
        safety_concern=False,
        parties=[
            {
                "kind": "person",
                "name": "Lektest Persoon",
                "email": f"{marker.lower()}@voorbeeld.nl",
                "phone": marker,
                "postal_address": f"Straat 1\n{marker}",
            }
        ],
    )
    case_assign(case=case, lead=mediator, co_mediators=[], actor=supervisor)
    conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    note = note_write(
        case=case, author=mediator, kind="working", title=f"Titel {marker}", body=f"Tekst {marker}"
    )
    assert marker in note_read(note=note, reader=mediator).body
    note_edit(note=note, editor=mediator, title=f"Nieuw {marker}", body=f"Nieuwe tekst {marker}")
    print("notes written")


if __name__ == "__main__":
    main(sys.argv[1])
