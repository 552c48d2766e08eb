"""Agreement pages: mediators only; the party's approval link; the referrer's summary."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from agreements.models import Approval
from agreements.services import (
    APPROVAL_LINK_MAX_AGE,
    agreement_write,
    approval_record,
    approval_token,
    summary_consent_record,
    summary_write,
)
from audit.models import AuditAction, AuditEvent
from cases.models import CaseStatus
from mediation.outbox import outbox_drain
from parties.models import Party
from tests.cases.agreement_helpers import approve_all, parties, review_all

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def urls(case, agreement):
    action = agreement.actions.first()
    party = parties(case)[0]
    return [
        reverse("agreements:agreement", args=[case.pk]),
        reverse("agreements:agreement_edit", args=[case.pk]),
        reverse("agreements:agreement_print", args=[case.pk]),
        reverse("agreements:agreement_versions", args=[case.pk]),
        reverse("agreements:action_add", args=[case.pk]),
        reverse("agreements:action_edit", args=[case.pk, action.pk]),
        reverse("agreements:action_remove", args=[case.pk, action.pk]),
        reverse("agreements:action_review", args=[case.pk, action.pk]),
        reverse("agreements:approval_record", args=[case.pk, party.pk]),
        reverse("agreements:approval_link", args=[case.pk, party.pk]),
        reverse("agreements:follow_up_date", args=[case.pk]),
        reverse("agreements:summary_edit", args=[case.pk]),
        reverse("agreements:summary_consent", args=[case.pk, party.pk]),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_everyone_but_the_mediators_gets_404_for_every_agreement_url(
    client, drafted, personas, persona
):
    summary_write(case=drafted.case, text="Samenvatting", actor=personas.mediator)
    client.force_login(getattr(personas, persona))

    for url in urls(drafted.case, drafted):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "send"}).status_code == 404, url


def test_every_agreement_page_opens_for_a_mediator(client, drafted, personas):
    summary_write(case=drafted.case, text="Samenvatting", actor=personas.mediator)
    client.force_login(personas.comediator)

    for url in urls(drafted.case, drafted):
        if url.endswith(("/remove/", "/link/")):
            continue  # POST only
        assert client.get(url, **EN).status_code == 200, url


def test_a_mediator_writes_the_agreement_and_adds_an_action_through_the_pages(
    client, in_agreement, personas
):
    client.force_login(personas.mediator)
    case = in_agreement

    client.post(reverse("agreements:agreement_edit", args=[case.pk]), {"text": "Wij spreken af."})
    jan = parties(case)[0]
    response = client.post(
        reverse("agreements:action_add", args=[case.pk]),
        {
            "description": "Jan belt de wijkagent.",
            "owner": str(jan.pk),
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("agreements:agreement", args=[case.pk]), **EN).content.decode()
    assert "Wij spreken af." in page and "Jan belt de wijkagent." in page
    assert "Text of the agreement (version 2)" in page


def test_an_empty_action_form_shows_an_error_summary(client, drafted, personas):
    client.force_login(personas.mediator)

    response = client.post(reverse("agreements:action_add", args=[drafted.case.pk]), {}, **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "Nothing was saved" in page


def test_the_page_says_when_a_change_invalidated_approvals(client, drafted, personas):
    approve_all(drafted, personas.mediator)
    agreement_write(case=drafted.case, text="Gewijzigd", actor=personas.mediator)
    client.force_login(personas.mediator)

    page = client.get(
        reverse("agreements:agreement", args=[drafted.case.pk]), **EN
    ).content.decode()

    assert "2 approvals of an earlier version no longer count" in page
    assert f"Ask the parties to approve version {drafted.version + 1}" in page


# The party's approval link


def answer_url(agreement, participation):
    token = approval_token(agreement=agreement, participation=participation)
    return reverse("agreements:agreement_answer", args=[token])


def test_the_party_sees_the_agreement_and_approves_once(client, drafted, personas):
    jan = parties(drafted.case)[0]
    url = answer_url(drafted, jan)

    page = client.get(url).content.decode()
    assert "De gemeente en de bewoners" in page and "Actie 1" in page
    assert '<html lang="nl">' in page  # the party's language: Dutch unless it prefers English
    response = client.post(url, {"decision": "approved"})

    assert response.status_code == 200
    approval = Approval.objects.get(participation=jan)
    assert (approval.decision, approval.method, approval.version) == (
        "approved",
        "link",
        drafted.version,
    )
    again = client.get(url, **EN)
    assert again.status_code == 410
    assert "already been recorded" in again.content.decode()
    assert client.post(url, {"decision": "declined"}).status_code == 410
    assert Approval.objects.get(participation=jan).decision == "approved"


def test_the_party_page_speaks_english_to_a_party_who_prefers_it(client, drafted):
    jan = parties(drafted.case)[0]
    Party.objects.filter(pk=jan.party_id).update(preferred_language="en")

    page = client.get(answer_url(drafted, jan)).content.decode()

    assert '<html lang="en">' in page
    assert "Approve the agreement" in page and "Decline the agreement" in page


def test_a_link_for_an_earlier_version_explains_itself(client, drafted, personas):
    jan = parties(drafted.case)[0]
    url = answer_url(drafted, jan)
    agreement_write(case=drafted.case, text="Gewijzigd", actor=personas.mediator)

    response = client.get(url, **EN)

    assert response.status_code == 410
    assert "The agreement was changed after this link was made" in response.content.decode()
    assert client.post(url, {"decision": "approved"}).status_code == 410
    assert not Approval.objects.exists()


def test_an_altered_link_explains_itself_and_cannot_answer_for_another_party(client, drafted):
    jan, gemeente = parties(drafted.case)
    token = approval_token(agreement=drafted, participation=jan)
    payload = token.split(":", 1)[0]
    forged = signing.dumps({"g": drafted.pk, "p": gemeente.pk, "v": drafted.version}, salt="x")

    for bad in (token[:-2] + "xx", forged, "nonsense", token.replace(payload, payload[::-1])):
        response = client.post(
            reverse("agreements:agreement_answer", args=[bad]), {"decision": "approved"}, **EN
        )
        assert response.status_code == 400
        assert "This link is not complete or was changed" in response.content.decode()
    assert not Approval.objects.exists()


def test_an_expired_link_explains_itself(client, drafted):
    jan = parties(drafted.case)[0]
    made = timezone.now() - APPROVAL_LINK_MAX_AGE - timedelta(minutes=1)

    with mock.patch("time.time", return_value=made.timestamp()):
        url = answer_url(drafted, jan)
    response = client.get(url, **EN)

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_link_recorded_by_the_mediator_meanwhile_is_used(client, drafted, personas):
    jan = parties(drafted.case)[0]
    url = answer_url(drafted, jan)
    approval_record(
        agreement=drafted,
        participation=jan,
        decision="approved",
        method="paper",
        decided_on=timezone.localdate(),
        actor=personas.mediator,
    )

    assert client.get(url, **EN).status_code == 410


def test_the_approval_link_goes_by_email_to_that_party_only(client, drafted, personas, smtp_server):
    jan = parties(drafted.case)[0]
    client.force_login(personas.mediator)
    outbox_drain()
    smtp_server.received.clear()

    response = client.post(
        reverse("agreements:approval_link", args=[drafted.case.pk, jan.pk]), {"action": "send"}
    )
    outbox_drain()

    assert response.status_code == 302
    [mail] = [r.message for r in smtp_server.received]
    assert mail["To"] == "jan.devries@example.nl"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "/cases/agreement/answer/" in text
    assert "De gemeente en de bewoners" not in mail.as_string()
    assert "Gemeente Utrecht, afdeling Wonen" not in mail.as_string()
    assert AuditEvent.objects.filter(action=AuditAction.APPROVAL_LINK_SENT).exists()


def test_a_party_without_email_gets_a_clear_message_and_the_link_can_be_copied(
    client, drafted, personas
):
    gemeente = parties(drafted.case)[1]
    client.force_login(personas.mediator)
    url = reverse("agreements:approval_link", args=[drafted.case.pk, gemeente.pk])

    sent = client.post(url, {"action": "send"}, follow=True, **EN).content.decode()
    copied = client.post(url, {"action": "copy"}, **EN).content.decode()

    assert "has no email address" in sent
    assert "/cases/agreement/answer/" in copied


# Lifecycle through the case page


def test_the_case_page_closes_with_the_chosen_outcome(client, in_follow_up, personas):
    review_all(in_follow_up, personas.mediator)
    client.force_login(personas.mediator)
    url = reverse("cases:detail", args=[in_follow_up.pk])
    page = client.get(url, **EN).content.decode()
    assert "<legend>Outcome" in page and "Partial agreement" in page

    client.post(
        reverse("cases:transition", args=[in_follow_up.pk]),
        {"name": "close", "expected_status": "follow_up", "outcome": "full_agreement"},
    )

    in_follow_up.refresh_from_db()
    assert in_follow_up.status == CaseStatus.CLOSED
    assert in_follow_up.outcome == "full_agreement"


def test_the_print_page_shows_reference_parties_actions_and_approvals(client, drafted, personas):
    approve_all(drafted, personas.mediator)
    client.force_login(personas.mediator)

    page = client.get(
        reverse("agreements:agreement_print", args=[drafted.case.pk]), **EN
    ).content.decode()

    for expected in (
        drafted.case.reference,
        "Jan de Vries",
        "Gemeente Utrecht, afdeling Wonen",
        "Actie 1",
        "Signed on paper",
        "<caption>",
    ):
        assert expected in page


# The referrer's summary


def test_the_coordinator_sees_the_summary_only_when_every_party_agreed(client, drafted, personas):
    case = drafted.case
    summary = summary_write(
        case=case, text="Het gesprek is goed verlopen.", actor=personas.mediator
    )
    client.force_login(personas.coordinator)
    url = reverse("cases:detail", args=[case.pk])
    jan, gemeente = parties(case)
    today = timezone.localdate()

    summary_consent_record(
        summary=summary, participation=jan, agreed_on=today, actor=personas.mediator
    )
    assert "Het gesprek is goed verlopen." not in client.get(url).content.decode()

    summary_consent_record(
        summary=summary, participation=gemeente, agreed_on=today, actor=personas.mediator
    )
    page = client.get(url, **EN).content.decode()
    assert "Het gesprek is goed verlopen." in page
    assert "Summary shared by the parties" in page
    assert "De gemeente en de bewoners" not in page  # never the agreement itself
    assert AuditEvent.objects.filter(action=AuditAction.SUMMARY_READ).count() == 1


def test_the_supervisor_never_sees_the_summary(client, drafted, personas):
    case = drafted.case
    summary = summary_write(
        case=case, text="Het gesprek is goed verlopen.", actor=personas.mediator
    )
    for participation in parties(case):
        summary_consent_record(
            summary=summary,
            participation=participation,
            agreed_on=timezone.localdate(),
            actor=personas.mediator,
        )
    client.force_login(personas.supervisor)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "Het gesprek is goed verlopen." not in page
