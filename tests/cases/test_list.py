import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.models import Case, CaseKind, CaseStatus, CaseUserObjectPermission

pytestmark = pytest.mark.django_db


def bulk_cases(count: int, *, referred_by, mediator, status=CaseStatus.INTAKE) -> None:
    """Create `count` cases the mediator is on, quickly, with the rows the services would write."""
    kind = CaseKind.objects.get(code="inter_group")
    start = Case.objects.count()
    Case.objects.bulk_create(
        Case(
            reference=f"MED-2026-{start + n + 1:04d}",
            kind=kind,
            title=f"Spanning in de wijk {n}",
            referred_by=referred_by,
            referring_organisation="Gemeente Utrecht",
            referral_reason="…",
            lead_mediator=mediator,
            status=status,
        )
        for n in range(count)
    )
    view = Permission.objects.get(codename="view_case")
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(permission=view, user=mediator, content_object=case)
        for case in Case.objects.filter(lead_mediator=mediator).exclude(
            caseuserobjectpermission__user=mediator
        )
    )


@pytest.mark.parametrize("count", [10, 500])
def test_case_list_runs_a_constant_number_of_queries(
    client, personas, count, django_assert_max_num_queries
):
    bulk_cases(count, referred_by=personas.coordinator, mediator=personas.mediator)
    client.force_login(personas.mediator)

    # session, user, groups (roles), count, one page of cases with kind and lead, kinds filter
    with django_assert_max_num_queries(7):
        response = client.get(reverse("cases:list"))

    assert response.context["page"].paginator.count == count
    assert len(response.context["page"].object_list) == min(count, 25)


def test_the_list_shows_only_cases_the_user_may_see(client, personas):
    bulk_cases(3, referred_by=personas.coordinator, mediator=personas.mediator)
    client.force_login(personas.outsider)

    response = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["page"].paginator.count == 0
    assert "There are no cases for you yet." in response.content.decode()


def test_filters_and_search_run_in_the_database(client, personas, django_assert_max_num_queries):
    bulk_cases(4, referred_by=personas.coordinator, mediator=personas.mediator)
    bulk_cases(2, referred_by=personas.coordinator, mediator=personas.mediator, status="closed")
    client.force_login(personas.mediator)

    closed = client.get(reverse("cases:list"), {"status": "closed"})
    searched = client.get(reverse("cases:list"), {"q": "MED-2026-0002"})
    by_title = client.get(reverse("cases:list"), {"q": "wijk 3"})
    none = client.get(reverse("cases:list"), {"q": "nothing like it"}, HTTP_ACCEPT_LANGUAGE="en")

    assert closed.context["page"].paginator.count == 2
    assert [c.reference for c in searched.context["page"].object_list] == ["MED-2026-0002"]
    assert by_title.context["page"].paginator.count == 1
    assert "No cases match these filters." in none.content.decode()


def test_supervisor_overview_queries_do_not_grow_with_cases(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.supervisor)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
    bulk_cases(40, referred_by=personas.coordinator, mediator=personas.mediator)
    Case.objects.update(lead_mediator=None, status=CaseStatus.REFERRED)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))

    assert len(response.context["queue"]) == 10
