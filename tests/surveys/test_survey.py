"""The satisfaction survey: sent on closing, answered once by link, anonymous, read by the
case's mediators only, and counted in the report from 5 answers (issue 19, point 5)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.services import case_transition
from mediation.models import OutboxMessage
from mediation.outbox import outbox_drain, outbox_open
from mediation.roles import Role
from parties.models import Participation
from reporting.selectors import ReportFilters, report_build
from surveys.models import SurveyInvitation, SurveyResponse
from surveys.services import (
    SURVEY_SALT,
    SurveyAnswers,
    case_surveys_destroy,
    survey_answer,
    survey_token,
)
from tests.factories import UserFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ANSWERS = {
    "impartial": "yes",
    "heard": "partly",
    "recommend": "yes",
    "agreements_working": "no_agreement",
}
MARKER = "SURVEY-MARKER-9f3a"


def end(case, mediator):
    """Close a case in sessions without agreement (an outcome the parties are asked about)."""
    return case_transition(
        case=case,
        name="end_without_agreement",
        actor=mediator,
        reason="Geen overeenstemming.",
    )


@pytest.fixture
def english_jan(in_sessions):
    party = Participation.objects.get(case=in_sessions, party__name="Jan de Vries").party
    party.preferred_language = "en"
    party.save(update_fields=["preferred_language"])
    return party


@pytest.fixture
def closed_case(in_sessions, english_jan, personas):
    """Closed; Jan prefers English (the municipality, without email address, Dutch)."""
    return end(in_sessions, personas.mediator)


def the_invitation(case, name="Jan de Vries") -> SurveyInvitation:
    return SurveyInvitation.objects.get(case=case, participation__party__name=name)


def link(invitation) -> str:
    return reverse("surveys:answer", args=[survey_token(invitation)])


# Sending


def test_closing_asks_each_party_by_email_in_its_language(
    in_sessions, english_jan, personas, smtp_server
):
    outbox_drain()
    smtp_server.received.clear()

    case = end(in_sessions, personas.mediator)
    outbox_drain()

    [mail] = [received.message for received in smtp_server.to("jan.devries@example.nl")]
    assert mail["To"] == "jan.devries@example.nl"
    assert mail["Subject"] == f"Tafel: how was your mediation? ({case.reference})"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Jan de Vries," in text
    assert link(the_invitation(case)) in text
    # The party without an email address is asked too, but nothing could be sent.
    municipality = the_invitation(case, "Gemeente Utrecht, afdeling Wonen")
    assert municipality.sent_on is None
    assert the_invitation(case).sent_on == timezone.localdate()
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_SENT)
    assert event.details == {"sent": 1, "no_address": 1}


def test_a_dutch_party_is_asked_in_dutch(in_sessions, personas):
    closed_case = end(in_sessions, personas.mediator)
    [message] = [outbox_open(message) for message in OutboxMessage.objects.filter(purpose="survey")]
    assert message.subject == f"Tafel: hoe was uw mediation? ({closed_case.reference})"


def test_a_declined_case_asks_no_one(refer, personas):
    case = refer()
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Geen zaak.")

    assert not SurveyInvitation.objects.exists()


def test_a_case_closed_again_does_not_ask_a_party_twice(closed_case, personas):
    reopened = case_transition(
        case=closed_case, name="reopen", actor=personas.supervisor, reason="Nieuw verzoek."
    )
    assert reopened.status != "closed"
    again = case_transition(
        case=reopened,
        name="withdraw",
        actor=personas.mediator,
        reason="Ingetrokken.",
        **({"outcome": "withdrawn"} if _takes_outcome(reopened, "withdraw") else {}),
    )

    assert again.status == "closed"
    assert SurveyInvitation.objects.filter(case=closed_case).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_SENT).count() == 1


def _takes_outcome(case, name) -> bool:
    transition = next(t for t in case.get_all_status_transitions() if t.name == name)
    return bool(transition.custom.get("outcomes"))


# Answering


def test_opening_the_link_changes_nothing_and_answering_works_once(client, closed_case):
    url = link(the_invitation(closed_case))

    page = client.get(url, **EN)
    assert page.status_code == 200
    assert "Was the mediator impartial?" in page.content.decode()
    assert not SurveyResponse.objects.exists()

    done = client.post(url, {**ANSWERS, "comment": "Fijn gesprek."}, **EN)
    assert done.status_code == 200
    assert "Your answers were saved." in done.content.decode()
    [response] = SurveyResponse.objects.all()
    assert (response.impartial, response.heard, response.recommend) == ("yes", "partly", "yes")
    assert response.month == timezone.localdate().replace(day=1)
    assert the_invitation(closed_case).answered

    again = client.post(url, ANSWERS, **EN)
    assert again.status_code == 410
    assert "works only once" in again.content.decode()
    assert client.get(url, **EN).status_code == 410
    assert SurveyResponse.objects.count() == 1


def test_the_page_speaks_the_partys_language_unless_they_switch(client, closed_case):
    dutch = link(the_invitation(closed_case, "Gemeente Utrecht, afdeling Wonen"))
    english = link(the_invitation(closed_case))

    assert "Was de mediator onpartijdig?" in client.get(dutch, **EN).content.decode()
    assert "Was the mediator impartial?" in client.get(english).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": dutch})
    assert "Was the mediator impartial?" in client.get(dutch).content.decode()


def test_a_missing_answer_is_named_and_nothing_is_saved(client, closed_case):
    url = link(the_invitation(closed_case))

    page = client.post(url, {"impartial": "yes", "comment": "Iets"}, **EN)

    assert page.status_code == 400
    text = page.content.decode()
    assert "Nothing was saved" in text
    assert "Choose one of the answers." in text
    assert not SurveyResponse.objects.exists()
    assert not the_invitation(closed_case).answered


def test_a_hostile_or_huge_comment_is_refused_whole_or_kept_as_text(client, closed_case, personas):
    url = link(the_invitation(closed_case))

    too_long = client.post(url, {**ANSWERS, "comment": "x" * 4001}, **EN)
    assert too_long.status_code == 400
    assert not SurveyResponse.objects.exists()

    hostile = '<script>alert("x")</script>\r\nBcc: evil@example.com'
    assert client.post(url, {**ANSWERS, "comment": hostile}, **EN).status_code == 200
    client.force_login(personas.mediator)
    page = client.get(reverse("surveys:case_survey", args=[closed_case.pk]), **EN)
    assert '<script>alert("x")</script>' not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        ("not-a-token", 400, "not complete or was changed"),
        (signing.dumps({"i": 10**9, "n": "x"}, salt=SURVEY_SALT), 404, "no longer exists"),
        (signing.dumps({"i": "1", "n": 2}, salt=SURVEY_SALT), 404, "no longer exists"),
        (signing.dumps({"x": 1}, salt=SURVEY_SALT), 400, "not complete or was changed"),
    ],
    # Named, not by their tokens: a token holds the time it was made, and every test worker
    # (pytest-xdist) must collect the same tests.
    ids=["not-a-token", "unknown-invitation", "wrong-types", "no-invitation"],
)
def test_a_broken_or_unknown_link_explains_itself(client, closed_case, token, status, words):
    page = client.get(reverse("surveys:answer", args=[token]), **EN)

    assert page.status_code == status
    assert words in page.content.decode()


def test_an_altered_link_reveals_nothing(client, closed_case):
    token = survey_token(the_invitation(closed_case))
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    page = client.get(reverse("surveys:answer", args=[altered]), **EN)

    assert page.status_code == 400
    assert closed_case.reference not in page.content.decode()
    assert "Jan de Vries" not in page.content.decode()


def test_an_expired_link_explains_itself(client, closed_case):
    url = link(the_invitation(closed_case))

    with time_machine.travel(timezone.now() + timedelta(days=61)):
        page = client.post(url, ANSWERS, **EN)

    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_links_are_rate_limited(client, closed_case, settings):
    settings.TAFEL_LINK_RATE_LIMIT = "3/m"
    url = link(the_invitation(closed_case))

    statuses = [client.get(url, **EN).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


# Anonymity


def test_an_answer_has_no_link_to_the_party(client, closed_case):
    """The proof: nothing stored with an answer, or in the trail, leads back to who gave it."""
    # Both parties answer (the municipality's link was copied to it by hand).
    invitations = list(SurveyInvitation.objects.filter(case=closed_case))
    for invitation in invitations:
        client.post(link(invitation), {**ANSWERS, "comment": MARKER}, **EN)

    # The answer's only relation is its case; no column holds a moment.
    relations = {
        field.name: field.related_model
        for field in SurveyResponse._meta.get_fields()
        if field.is_relation
    }
    assert relations == {"case": closed_case.__class__}
    columns = {field.get_internal_type() for field in SurveyResponse._meta.concrete_fields}
    assert "DateTimeField" not in columns
    # An invitation keeps whether it was used, and nothing else about the answer.
    invitation_columns = {field.attname for field in SurveyInvitation._meta.concrete_fields}
    assert invitation_columns == {
        "id",
        "case_id",
        "participation_id",
        "nonce",
        "language",
        "sent_on",
        "answered",
    }
    # No stored value of an answer names a participant, a party, an invitation or its nonce.
    identifying = set()
    for invitation in invitations:
        participation = invitation.participation
        identifying |= {
            str(invitation.pk),
            invitation.nonce,
            str(participation.pk),
            str(participation.party_id),
            participation.party.name,
        }
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_surveyresponse")
        rows = cursor.fetchall()
    assert len(rows) == 2
    for row in rows:
        for value in row:
            if isinstance(value, (bytes, memoryview)):
                continue  # the sealed comment
            assert str(value) not in identifying - {str(closed_case.pk)}
    # The trail says an answer came in for the case: not whose, and not from where.
    answered = AuditEvent.objects.filter(action=AuditAction.SURVEY_ANSWERED)
    assert answered.count() == 2
    for event in answered:
        assert event.details == {}
        assert event.target_id in ("", None)
        assert not event.client_address
        assert event.case_id == closed_case.pk


def test_the_comment_is_sealed(client, closed_case):
    client.post(link(the_invitation(closed_case)), {**ANSWERS, "comment": MARKER}, **EN)

    [sealed] = SurveyResponse.objects.values_list("sealed_comment", flat=True)
    assert MARKER.encode() not in bytes(sealed)
    assert MARKER not in str(list(AuditEvent.objects.values_list("details", flat=True)))


# The case's mediators


def test_the_mediators_read_the_comments_without_names_next_to_them(client, closed_case, personas):
    client.post(link(the_invitation(closed_case)), {**ANSWERS, "comment": MARKER}, **EN)
    url = reverse("surveys:case_survey", args=[closed_case.pk])

    for mediator in (personas.mediator, personas.comediator):
        client.force_login(mediator)
        page = client.get(url, **EN)
        assert page.status_code == 200
        text = page.content.decode()
        assert MARKER in text
        assert "1 answer of 2 parties asked." in text
        assert "Not sent: no email address" in text
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_COMMENTS_READ).count() == 2
    case_page = client.get(reverse("cases:detail", args=[closed_case.pk]), **EN).content.decode()
    assert url in case_page


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_nobody_else_sees_the_survey_page(client, closed_case, personas, persona):
    client.post(link(the_invitation(closed_case)), {**ANSWERS, "comment": MARKER}, **EN)
    client.force_login(getattr(personas, persona))

    page = client.get(reverse("surveys:case_survey", args=[closed_case.pk]), **EN)
    case_page = client.get(reverse("cases:detail", args=[closed_case.pk]), **EN)

    assert page.status_code == 404
    assert MARKER not in case_page.content.decode()
    assert reverse("surveys:case_survey", args=[closed_case.pk]) not in case_page.content.decode()


def test_a_case_without_survey_says_so(client, in_sessions, personas):
    client.force_login(personas.mediator)

    page = client.get(reverse("surveys:case_survey", args=[in_sessions.pk]), **EN)

    assert page.status_code == 200
    assert "No survey was sent for this case." in page.content.decode()


# The report


def _answers(case, count, **overrides):
    for _ in range(count):
        SurveyResponse.objects.create(
            case=case, month=timezone.localdate().replace(day=1), **{**ANSWERS, **overrides}
        )


def test_the_report_counts_the_answers_only_from_five(closed_case, personas):
    filters = ReportFilters(start=closed_case.referred_on, end=closed_case.referred_on)
    _answers(closed_case, 4)
    assert report_build(user=personas.supervisor, filters=filters).survey_tables == []

    _answers(closed_case, 1, impartial="no")
    report = report_build(user=personas.supervisor, filters=filters)

    assert report.survey_answers == 5
    impartial = report.table("survey_impartial")
    assert [(row.label, str(row.cell)) for row in impartial.rows] == [
        ("Yes", "< 5"),
        ("Partly", "0"),
        ("No", "< 5"),
        ("I do not know", "0"),
    ]
    assert [row.cell.value for row in impartial.rows] == [4, 0, 1, 0]


def test_the_report_shows_the_survey_from_five_answers_and_only_the_coordinators_own(
    client, closed_case, refer, personas
):
    other_coordinator = UserFactory(username="other", roles=[Role.COORDINATOR])
    other = refer(referred_by=other_coordinator)
    _answers(other, 6)
    url = reverse("reporting:report")

    client.force_login(personas.coordinator)
    mine = client.get(url, **EN).content.decode()
    assert "Fewer than 5 parties answered" in mine

    _answers(closed_case, 5, recommend="no")
    mine = client.get(url, **EN).content.decode()
    assert "From 5 anonymous answers" in mine
    assert "Would you recommend mediation to others?" in mine

    client.force_login(personas.supervisor)
    everything = client.get(url, **EN).content.decode()
    assert "From 11 anonymous answers" in everything
    csv = client.get(reverse("reporting:export_csv") + "?table=survey_recommend", **EN)
    assert csv.status_code == 200
    rows = csv.content.decode().splitlines()
    assert "Yes,6" in rows
    assert "No,5" in rows


def test_a_survey_table_with_too_few_answers_cannot_be_downloaded(client, closed_case, personas):
    _answers(closed_case, 2)
    client.force_login(personas.supervisor)

    page = client.get(reverse("reporting:export_csv") + "?table=survey_heard", **EN)

    assert page.status_code == 400
    assert "too few answers" in page.content.decode()


# Destruction


def test_destroying_the_dossier_takes_the_invitations_and_comments_and_keeps_the_counts(
    client, closed_case
):
    client.post(link(the_invitation(closed_case)), {**ANSWERS, "comment": MARKER}, **EN)

    assert case_surveys_destroy(case=closed_case) == 1

    assert not SurveyInvitation.objects.filter(case=closed_case).exists()
    [response] = SurveyResponse.objects.filter(case=closed_case)
    assert bytes(response.sealed_comment) == b""
    assert response.impartial == "yes"


def test_an_answer_without_a_comment_needs_no_key(closed_case):
    invitation = the_invitation(closed_case)

    survey_answer(token=survey_token(invitation), answers=SurveyAnswers(**ANSWERS))

    assert bytes(SurveyResponse.objects.get().sealed_comment) == b""
