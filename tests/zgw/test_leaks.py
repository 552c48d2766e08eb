"""Status and outcome only: markers planted in the case's title, the reason for the referral,
the parties' names and contact details, notes, the agreement, review comments and the reasons
given for steps reach no call to the Zaken API, stored or received."""

import json

import pytest
from django.utils import timezone

from cases.models import NoteKind
from cases.services import case_assign, case_transition, note_write
from mediation.models import HttpDelivery
from tests.case_fixtures import consent_all, declare_all
from tests.cases.agreement_helpers import approve_all, draft, review_all, to_agreement
from tests.zgw.conftest import deliver

pytestmark = pytest.mark.django_db

MARKERS = {
    "title": "TITLEMARK7741",
    "reason": "REASONMARK7742",
    "party": "PARTYMARK7743",
    "email": "emailmark7744@example.nl",
    "phone": "0612347745",
    "note": "NOTEMARK7746",
    "agreement": "AGREEMARK7747",
    "review": "REVIEWMARK7748",
    "step": "STEPMARK7749",
    "woo": "WOOMARK7750",
}


def test_no_call_to_the_zaken_api_holds_content(configuration, refer, personas, zaken):
    case = refer(
        title=f"Conflict {MARKERS['title']}",
        referral_reason=f"Reden {MARKERS['reason']}",
        woo_note=f"Woo {MARKERS['woo']}",
        parties=[
            {
                "kind": "person",
                "name": f"Jan {MARKERS['party']}",
                "email": MARKERS["email"],
                "phone": MARKERS["phone"],
            },
            {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
        ],
    )
    case = case_assign(
        case=case,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )
    declare_all(case, personas)
    case = case_transition(
        case=case, name="accept", actor=personas.mediator, reason=f"Ok {MARKERS['step']}"
    )
    note_write(
        case=case,
        author=personas.mediator,
        kind=NoteKind.DOSSIER,
        title=f"Intake {MARKERS['note']}",
        body=f"Verslag {MARKERS['note']}",
    )
    consent_all(case, personas.mediator)
    case = case_transition(case=case, name="start_sessions", actor=personas.mediator)
    agreement = draft(to_agreement(case), personas.mediator, text=f"Tekst {MARKERS['agreement']}")
    approve_all(agreement, personas.mediator, on=timezone.localdate())
    case = case_transition(case=agreement.case, name="start_follow_up", actor=personas.mediator)
    review_all(case, personas.mediator, comment=f"Gedaan {MARKERS['review']}")
    case = case_transition(
        case=case,
        name="close",
        actor=personas.mediator,
        reason=f"Afgerond {MARKERS['step']}",
        outcome="partial_agreement",
    )

    deliver()

    assert zaken.refused == []
    assert len(zaken.received) == 9  # zaak, rol, 4 statuses, resultaat, final status, archive
    sent = json.dumps([[call.url, call.body, call.claims] for call in zaken.received])
    stored = json.dumps(list(HttpDelivery.objects.values_list("url", "body", "last_error")))
    for where, marker in MARKERS.items():
        assert marker.lower() not in sent.lower(), where
        assert marker.lower() not in stored.lower(), where
    assert case.reference in sent  # the neutral description names the reference only
