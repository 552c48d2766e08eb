"""Notices to mediators: queued on their events, to the right people, as each user chose,
in their language, with nothing confidential in them."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.services import approval_by_link, approval_record, approval_token
from cases.models import Outcome
from cases.notices import notice_send
from cases.services import case_assign, case_transition, user_settings_update
from mediation.models import NoticeKind, OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain
from mediation.roles import Role
from tests.cases.agreement_helpers import approve_all, draft, parties, review_all, to_agreement
from tests.cases.notice_helpers import (
    TEXT_MARKER,
    assert_nothing_confidential,
    english,
    notices,
    recipients,
    with_marker_party,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(refer):
    return refer()


# Assignment


def test_the_assigned_lead_and_co_mediator_are_told_and_whoever_stays_is_not(referred, personas):
    english(personas.mediator, personas.comediator, personas.outsider)
    case_assign(
        case=referred,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )
    assert recipients(NoticeKind.ASSIGNED) == sorted(
        [personas.mediator.email, personas.comediator.email]
    )
    (lead_notice, _co) = notices(NoticeKind.ASSIGNED)
    assert lead_notice["row"].group == f"case:{referred.pk}"
    assert lead_notice["row"].case_id == referred.pk
    assert (
        f"http://127.0.0.1:8000{reverse('cases:detail', args=[referred.pk])}" in lead_notice["body"]
    )
    OutboxMessage.objects.all().delete()

    # The outsider joins; the lead and co-mediator stay as they were.
    case_assign(
        case=referred,
        lead=personas.mediator,
        co_mediators=[personas.comediator, personas.outsider],
        actor=personas.supervisor,
    )

    assert recipients(NoticeKind.ASSIGNED) == [personas.outsider.email]


def test_a_co_mediator_who_becomes_the_lead_is_told(assigned, personas):
    OutboxMessage.objects.all().delete()
    english(personas.comediator)

    case_assign(
        case=assigned,
        lead=personas.comediator,
        co_mediators=[personas.mediator],
        actor=personas.supervisor,
    )

    assert recipients(NoticeKind.ASSIGNED) == [personas.comediator.email]


def test_a_supervisor_who_assigns_themselves_gets_no_notice(referred, personas):
    both = UserFactory(username="lead-and-supervisor", roles=[Role.MEDIATOR, Role.SUPERVISOR])
    english(both, personas.comediator)

    case_assign(case=referred, lead=both, co_mediators=[personas.comediator], actor=both)

    assert recipients(NoticeKind.ASSIGNED) == [personas.comediator.email]


def test_a_kind_turned_off_is_not_queued_and_the_others_still_are(referred, personas):
    english(personas.mediator)
    user_settings_update(
        user=personas.comediator, email_language="en", notices_off=[NoticeKind.ASSIGNED]
    )

    case_assign(
        case=referred,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )

    assert recipients(NoticeKind.ASSIGNED) == [personas.mediator.email]


def test_a_user_without_an_email_address_gets_no_notice(referred, personas):
    nameless = UserFactory(username="no-address", email="", roles=[Role.MEDIATOR])

    case_assign(case=referred, lead=nameless, co_mediators=[], actor=personas.supervisor)

    assert notices() == []
    assert (
        notice_send(user=nameless, kind=NoticeKind.ASSIGNED, case=referred, link_path="/") is None
    )


# The language


def test_the_notice_speaks_the_language_each_user_chose(referred, personas):
    # The lead never saved settings: the site's language (Dutch). The co-mediator chose English.
    english(personas.comediator)

    case_assign(
        case=referred,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )

    by_address = {notice["to"]: notice for notice in notices()}
    dutch = by_address[personas.mediator.email]
    assert dutch["subject"] == f"Tafel: u bent toegewezen aan zaak {referred.reference}"
    assert "instellingen" in dutch["body"]
    english_notice = by_address[personas.comediator.email]
    assert english_notice["subject"] == f"Tafel: you were assigned to case {referred.reference}"
    assert "settings" in english_notice["body"]


# Approvals


@pytest.fixture
def agreement(in_sessions, personas):
    with_marker_party(in_sessions, personas)
    english(personas.mediator, personas.comediator)
    agreement = draft(to_agreement(in_sessions), personas.mediator, text=TEXT_MARKER)
    OutboxMessage.objects.filter(purpose__startswith="notice.").delete()
    return agreement


def record(agreement, participation, actor, decision="approved"):
    return approval_record(
        agreement=agreement,
        participation=participation,
        decision=decision,
        method="paper",
        decided_on=timezone.localdate(),
        actor=actor,
    )


def test_a_party_approving_tells_the_other_mediators_and_the_last_one_says_all_approved(
    agreement, personas
):
    first, *middle, last = parties(agreement.case)

    # Recorded by the lead: the co-mediator is told, the lead knows.
    record(agreement, first, personas.mediator)
    assert recipients(NoticeKind.PARTY_APPROVED) == [personas.comediator.email]

    for participation in middle:
        record(agreement, participation, personas.mediator)
    # The same answer recorded again is no news; a decline has no notice.
    record(agreement, first, personas.mediator)
    assert len(notices(NoticeKind.PARTY_APPROVED)) == 1 + len(middle)

    # The last approval is told as "all parties approved", alone, by link to both mediators.
    approval_by_link(
        token=approval_token(agreement=agreement, participation=last), decision="approved"
    )

    assert len(notices(NoticeKind.PARTY_APPROVED)) == 1 + len(middle)
    assert recipients(NoticeKind.ALL_APPROVED) == sorted(
        [personas.mediator.email, personas.comediator.email]
    )
    for notice in notices():
        assert_nothing_confidential(notice, agreement.case)
        agreement_url = reverse("agreements:agreement", args=[agreement.case_id])
        assert f"http://127.0.0.1:8000{agreement_url}" in notice["body"]


def test_a_declined_agreement_sends_no_notice(agreement, personas):
    record(agreement, parties(agreement.case)[0], personas.mediator, decision="declined")

    assert notices() == []


def test_approval_notices_can_be_turned_off(agreement, personas):
    user_settings_update(
        user=personas.comediator,
        email_language="en",
        notices_off=[NoticeKind.PARTY_APPROVED, NoticeKind.ALL_APPROVED],
    )

    approve_all(agreement, personas.mediator)

    assert notices() == []


# The follow-up


@pytest.fixture
def following_up(agreement, personas):
    approve_all(agreement, personas.mediator)
    OutboxMessage.objects.filter(purpose__startswith="notice.").delete()
    on_case = case_transition(case=agreement.case, name="start_follow_up", actor=personas.mediator)
    agreement.refresh_from_db()
    return on_case, agreement


def the_follow_up_date(agreement):
    day = timezone.make_aware(datetime.combine(agreement.follow_up_on, datetime.min.time()))
    return day + timedelta(hours=9)


def test_the_mediators_are_told_on_the_follow_up_date_and_not_before(
    following_up, personas, smtp_server
):
    on_case, agreement = following_up
    assert recipients(NoticeKind.FOLLOW_UP_DUE) == sorted(
        [personas.mediator.email, personas.comediator.email]
    )
    for notice in notices(NoticeKind.FOLLOW_UP_DUE):
        assert notice["row"].group == f"follow-up:{agreement.pk}"
        assert_nothing_confidential(notice, on_case)

    outbox_drain()
    assert not [r for r in smtp_server.received if "follow-up" in r.message["Subject"]]

    outbox_drain(now=the_follow_up_date(agreement))
    assert sorted(
        r.message["To"] for r in smtp_server.received if "follow-up" in r.message["Subject"]
    ) == sorted([personas.mediator.email, personas.comediator.email])


def test_closing_the_case_withdraws_the_follow_up_notices(following_up, personas, smtp_server):
    on_case, agreement = following_up
    review_all(on_case, personas.mediator)

    case_transition(
        case=on_case, name="close", actor=personas.mediator, outcome=Outcome.FULL_AGREEMENT
    )

    rows = OutboxMessage.objects.filter(group=f"follow-up:{agreement.pk}")
    assert {row.status for row in rows} == {OutboxStatus.WITHDRAWN}
    outbox_drain(now=the_follow_up_date(agreement))
    assert not [r for r in smtp_server.received if "follow-up" in r.message["Subject"]]


def test_the_follow_up_notice_can_be_turned_off(agreement, personas):
    user_settings_update(
        user=personas.mediator, email_language="en", notices_off=[NoticeKind.FOLLOW_UP_DUE]
    )
    approve_all(agreement, personas.comediator)

    case_transition(case=agreement.case, name="start_follow_up", actor=personas.mediator)

    assert recipients(NoticeKind.FOLLOW_UP_DUE) == [personas.comediator.email]


def test_turning_the_follow_up_off_later_withdraws_the_waiting_notice(following_up, personas):
    _case, agreement = following_up

    user_settings_update(
        user=personas.comediator, email_language="en", notices_off=[NoticeKind.FOLLOW_UP_DUE]
    )

    waiting = {
        row.recipient: row.status
        for row in OutboxMessage.objects.filter(group=f"follow-up:{agreement.pk}")
    }
    assert waiting == {
        personas.mediator: OutboxStatus.PENDING,
        personas.comediator: OutboxStatus.WITHDRAWN,
    }


def test_a_mediator_taken_off_the_case_is_not_told_of_its_follow_up(following_up, personas):
    on_case, agreement = following_up

    case_assign(case=on_case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)

    waiting = {
        row.recipient: row.status
        for row in OutboxMessage.objects.filter(group=f"follow-up:{agreement.pk}")
    }
    assert waiting == {
        personas.mediator: OutboxStatus.PENDING,
        personas.comediator: OutboxStatus.WITHDRAWN,
    }


def test_a_mediator_who_joins_during_the_follow_up_gets_its_notice_once(following_up, personas):
    on_case, agreement = following_up
    english(personas.outsider)

    for _round in range(2):
        case_assign(
            case=on_case,
            lead=personas.mediator,
            co_mediators=[personas.comediator, personas.outsider],
            actor=personas.supervisor,
        )

    assert recipients(NoticeKind.FOLLOW_UP_DUE) == sorted(
        [personas.mediator.email, personas.comediator.email, personas.outsider.email]
    )
    follow_up = OutboxMessage.objects.filter(group=f"follow-up:{agreement.pk}")
    joined = follow_up.get(recipient=personas.outsider)
    assert joined.next_attempt_at == follow_up.get(recipient=personas.mediator).next_attempt_at


# Through a real mail server


def test_a_notice_reaches_the_mail_server_and_reads_back_whole(referred, personas, smtp_server):
    english(personas.mediator)
    case_assign(case=referred, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)

    report = outbox_drain()

    assert report.failed == 0
    (received,) = [r for r in smtp_server.received if r.rcpt_tos == [personas.mediator.email]]
    message = received.message
    assert message["To"] == personas.mediator.email
    assert message["Subject"] == f"Tafel: you were assigned to case {referred.reference}"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith(f"You were assigned to case {referred.reference} as a mediator.")
    assert f"http://127.0.0.1:8000/cases/{referred.pk}/" in text
    assert "http://127.0.0.1:8000/accounts/settings/" in text
    assert referred.title not in text and referred.referral_reason not in text


def test_the_case_page_lists_a_notice_by_what_it_is_without_its_recipient(
    client, referred, personas
):
    case_assign(case=referred, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    client.force_login(personas.mediator)

    page = client.get(reverse("cases:detail", args=[referred.pk])).content.decode()

    assert "Notice to a mediator" in page
    assert personas.mediator.email not in page
