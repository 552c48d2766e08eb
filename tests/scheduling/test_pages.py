"""Small things on the session pages that a new user ran into."""

import pytest
from django.test import Client
from django.urls import reverse

from scheduling.rsvp import rsvp_token

pytestmark = pytest.mark.django_db


def answer_url(attendee) -> str:
    return reverse(
        "scheduling:rsvp", args=[rsvp_token(attendee, sequence=attendee.session.sequence)]
    )


@pytest.mark.parametrize(
    ("answer", "english", "dutch"),
    [
        ("accepted", "I will come", "Ik kom"),
        ("declined", "I cannot come", "Ik kom niet"),
        ("tentative", "I may come", "Ik kom misschien"),
    ],
)
def test_a_party_reads_its_answer_in_its_own_words(case, schedule, answer, english, dutch):
    session = schedule(case)
    fatima = session.attendees.get(participation__party__name="Fatima el Amrani")  # English
    jan = session.attendees.get(participation__party__name="Jan de Vries")  # Dutch
    client = Client()

    done = client.post(answer_url(fatima), {"answer": answer}).content.decode()
    assert f"Your answer: {english}." in done
    again = client.get(answer_url(fatima)).content.decode()
    assert f": {english}. You can change your answer below." in again
    assert "Accepted" not in done + again and "Declined" not in done + again

    done_nl = client.post(answer_url(jan), {"answer": answer}).content.decode()
    assert f"{dutch}." in done_nl
    assert "Aangenomen" not in done_nl and "Afgewezen" not in done_nl


def test_the_mediator_still_sees_the_neutral_answer(client, personas, case, schedule):
    session = schedule(case)
    jan = session.attendees.get(participation__party__name="Jan de Vries")
    Client().post(answer_url(jan), {"answer": "declined"})
    client.force_login(personas.mediator)

    page = client.get(reverse("scheduling:detail", args=[case.pk, session.pk])).content.decode()

    assert "Declined" in page


def test_the_session_page_has_no_link_back_to_itself(client, personas, case, schedule):
    session = schedule(case)
    client.force_login(personas.mediator)
    detail = reverse("scheduling:detail", args=[case.pk, session.pk])

    page = client.get(detail).content.decode()
    assert "Back to the session" not in page
    assert reverse("cases:detail", args=[case.pk]) in page
    # The pages below it still lead back to it.
    change = client.get(reverse("scheduling:reschedule", args=[case.pk, session.pk]))
    assert f'<a href="{detail}">Back to the session</a>' in change.content.decode()


def test_the_first_calendar_address_does_not_say_an_earlier_one_stopped_working(client, personas):
    client.force_login(personas.mediator)
    url = reverse("scheduling:feed_settings")
    stopped = "An address you made earlier no longer works."

    first = client.post(url, {"action": "create"}).content.decode()
    assert stopped not in first
    second = client.post(url, {"action": "create"}).content.decode()
    assert stopped in second
    client.post(url, {"action": "revoke"})
    after_revoking = client.post(url, {"action": "create"}).content.decode()
    assert stopped not in after_revoking


def test_the_calendar_address_is_a_read_only_box_with_a_copy_button(client, personas):
    client.force_login(personas.mediator)

    page = client.post(reverse("scheduling:feed_settings"), {"action": "create"}).content.decode()

    assert 'class="feed-url" readonly' in page
    assert 'data-copy-target="feed-url"' in page and 'aria-live="polite"' in page
    # Without JavaScript the button stays hidden; the script is a static file, not inline.
    assert "hidden data-copy-row" in page
    assert "/static/scheduling/copy.js" in page and "<script>" not in page
