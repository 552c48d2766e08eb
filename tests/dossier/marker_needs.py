"""Record a party's needs with a marker, through the referral and through a later change by
the mediator, for leak tests; print the party's id.

Run as `python -m tests.dossier.marker_needs MARKER LANGUAGE` with TAFEL_VAR_DIR (SQLite) or
DATABASE_URL set; the database must be migrated.
"""

import os
import sys


def main(marker: str, language: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from cases.models import CaseKind
    from cases.services import case_assign
    from parties.models import Party
    from parties.services import party_update, referral_make
    from tests.factories import UserFactory

    users = {}
    for name in ("coordinator", "mediator", "supervisor"):
        users[name] = UserFactory(username=f"n-{name}")
        users[name].groups.add(Group.objects.get_or_create(name=name)[0])
    case = referral_make(
        referred_by=users["coordinator"],
        kind=CaseKind.objects.get_or_create(
            code="inter_group", defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"}
        )[0],
        title="Behoeftentest",
        referring_organisation="Gemeente Utrecht",
        referral_reason="Twee groepen praten niet meer met elkaar.",
        urgency="normal",
        safety_concern=False,
        parties=[
            {
                "kind": "person",
                "name": "Persoon met behoeften",
                "interpreter_language": language,
                "needs_step_free_access": True,
                "other_needs": f"Rolstoel en rustpauzes {marker}",
            },
            {"kind": "group", "name": "Groep zonder behoeften"},
        ],
    )
    case_assign(case=case, lead=users["mediator"], co_mediators=[], actor=users["supervisor"])
    party = Party.objects.get(name="Persoon met behoeften")
    # A change by the mediator seals again (a new nonce): the old text must not stay behind.
    party_update(
        party=party,
        actor=users["mediator"],
        case=case,
        other_needs=f"Rolstoel, rustpauzes en een stille ruimte {marker}",
    )
    party = Party.objects.select_related("key").get(pk=party.pk)
    assert party.other_needs.endswith(marker) and party.interpreter_language == language
    assert party.needs_interpreter and party.has_other_needs and party.needs_step_free_access
    print("needs recorded", party.pk)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
