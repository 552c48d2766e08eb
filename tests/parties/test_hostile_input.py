"""Names with markup, line breaks, huge lengths or right-to-left text never break a page."""

import pytest
from django.urls import reverse

from parties.models import Participation, Party
from tests.parties.conftest import add_data

pytestmark = pytest.mark.django_db

ONE_LINE = "Use one line of ordinary text: line breaks and control characters are not allowed."


def add(client, case, **fields):
    return client.post(
        reverse("parties:add", args=[case.pk]), add_data(**fields), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_name_with_html_is_stored_as_typed_and_shown_escaped(client, personas, case):
    client.force_login(personas.mediator)
    name = '<script>alert("x")</script><b>Jansen</b>'

    add(client, case, name=name)
    participation = Participation.objects.get(case=case)
    page = client.get(reverse("parties:edit", args=[case.pk, participation.pk]))

    assert participation.party.name == name
    content = page.content.decode()
    assert "<script>alert" not in content and "<b>Jansen" not in content
    assert "<bdi>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Jansen" in content


@pytest.mark.parametrize(
    "name", ["Jan\r\nde Vries", "Jan\nde Vries", "Jan\tde Vries", "Jan\x1b[31mde Vries"]
)
def test_a_name_with_a_line_break_or_control_character_is_refused_with_a_message(
    client, personas, case, name
):
    client.force_login(personas.mediator)

    response = add(client, case, name=name)

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [ONE_LINE]
    assert ONE_LINE in response.content.decode()
    assert not Party.objects.exists()


def test_a_bidirectional_override_that_disguises_a_name_is_refused(client, personas, case):
    client.force_login(personas.mediator)

    response = add(client, case, name="Jan \u202esreiV ed")

    assert response.context["form"].errors["name"] == [ONE_LINE]
    assert not Party.objects.exists()


@pytest.mark.parametrize(
    "field", ["name", "organisation", "phone", "other_needs", "postal_address"]
)
def test_ten_thousand_characters_are_refused_and_nothing_is_half_stored(
    client, personas, case, field
):
    client.force_login(personas.mediator)

    response = add(client, case, **{field: "A" * 10_000})

    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    assert "at most" in error and "10000" in error
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Party.objects.exists() and not Participation.objects.exists()


def test_right_to_left_names_are_stored_and_shown_isolated(client, personas, case):
    client.force_login(personas.mediator)
    name = "محمد العلي"

    response = add(client, case, name=name, organisation="جمعية الحي")
    participation = Participation.objects.get(case=case)
    page = client.get(reverse("parties:remove", args=[case.pk, participation.pk]))

    assert response.status_code == 302
    assert participation.party.name == name
    assert f"<bdi>{name}</bdi>" in page.content.decode()


def test_a_long_name_on_the_edit_page_is_refused_and_the_record_keeps_its_name(
    client, personas, case, participation
):
    client.force_login(personas.mediator)
    url = reverse("parties:edit", args=[case.pk, participation.pk])

    response = client.post(url, add_data(name="B" * 10_000), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "<bdi>Marieke Jansen</bdi>" in response.content.decode()  # the heading: stored name
    participation.party.refresh_from_db()
    assert participation.party.name == "Marieke Jansen"
