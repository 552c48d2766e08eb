"""Who may open which case page. A case you may not see does not exist for you: 404."""

import pytest
from django.urls import reverse

from cases.models import CaseUserObjectPermission
from cases.services import case_assign
from mediation.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def case_urls(case) -> dict[str, str]:
    declaration_id = 1
    return {
        "detail": reverse("cases:detail", args=[case.pk]),
        "transition": reverse("cases:transition", args=[case.pk]),
        "declare": reverse("cases:declare", args=[case.pk]),
        "conflict_accept": reverse("cases:conflict_accept", args=[case.pk, declaration_id]),
        "trail": reverse("cases:trail", args=[case.pk]),
        "participants_add": reverse("parties:add", args=[case.pk]),
    }


@pytest.fixture
def other_coordinator(db):
    return UserFactory(username="othercoordinator", roles=[Role.COORDINATOR])


@pytest.mark.parametrize("who", ["outsider", "other_coordinator"])
def test_outsiders_get_404_for_every_case_url(client, assigned, personas, other_coordinator, who):
    user = other_coordinator if who == "other_coordinator" else personas.outsider
    client.force_login(user)

    for name, url in case_urls(assigned).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name
    assert client.get(reverse("cases:assign", args=[assigned.pk])).status_code == 403


def test_an_unknown_case_is_404_even_for_its_would_be_mediator(client, personas):
    client.force_login(personas.mediator)

    assert client.get(reverse("cases:detail", args=[999999])).status_code == 404


def test_referrer_sees_status_dates_outcome_and_their_own_referral_only(client, assigned, personas):
    client.force_login(personas.coordinator)

    response = client.get(reverse("cases:detail", args=[assigned.pk]), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert assigned.reference in content and "Referred" in content
    # Their own referral they read back (issue 15); what the mediators hold they do not.
    assert "Bewoners voelen zich niet gehoord." in content and "Jan de Vries" in content
    assert "jan.devries" not in content  # contact details
    assert reverse("cases:trail", args=[assigned.pk]) not in content
    for name, url in case_urls(assigned).items():
        if name not in {"detail", "transition"}:
            assert client.get(url).status_code == 404, name


def test_supervisor_sees_metadata_and_trail_but_not_participant_pages(client, assigned, personas):
    client.force_login(personas.supervisor)

    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("cases:trail", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("parties:add", args=[assigned.pk])).status_code == 404
    content = client.get(reverse("cases:detail", args=[assigned.pk])).content.decode()
    assert "jan.devries@example.nl" not in content


def test_mediators_see_the_whole_case(client, assigned, personas):
    client.force_login(personas.comediator)

    response = client.get(reverse("cases:detail", args=[assigned.pk]), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "Bewoners voelen zich niet gehoord." in content
    assert "Jan de Vries" in content


def test_a_removed_mediator_loses_access_on_the_next_request(client, assigned, personas):
    client.force_login(personas.comediator)
    url = reverse("cases:detail", args=[assigned.pk])
    assert client.get(url).status_code == 200

    case_assign(case=assigned, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)

    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:list")).context["page"].rows == []


def test_a_superuser_without_a_role_does_not_see_cases(client, assigned):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 404


def test_deleting_a_case_leaves_no_permission_rows(assigned):
    assert CaseUserObjectPermission.objects.filter(content_object=assigned).exists()

    assigned.participations.all().delete()
    assigned.delete()

    assert not CaseUserObjectPermission.objects.exists()
