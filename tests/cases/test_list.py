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

    # session, user, groups (roles), one page of cases with kind and lead, kinds filter; no count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases:list"))

    assert len(response.context["page"].rows) == min(count, 25)
    assert bool(response.context["page"].older) == (count > 25)


def test_the_list_pages_by_key_through_every_case_once_each_way(client, personas):
    bulk_cases(60, referred_by=personas.coordinator, mediator=personas.mediator)
    # Three referral days, so that pages cross days and ties within a day.
    for number, case in enumerate(Case.objects.order_by("id")):
        Case.objects.filter(pk=case.pk).update(referred_on=f"2026-11-{10 + number % 3:02d}")
    client.force_login(personas.mediator)
    expected = list(
        Case.objects.order_by("-referred_on", "-id").values_list("reference", flat=True)
    )

    pages, page = [], client.get(reverse("cases:list")).context["page"]
    pages.append(page)
    while page.older:
        page = client.get(reverse("cases:list"), {"after": page.older}).context["page"]
        pages.append(page)
    back = [page]
    while page.newer:
        page = client.get(reverse("cases:list"), {"before": page.newer}).context["page"]
        back.append(page)

    forward = [row.reference for page in pages for row in page.rows]
    assert forward == expected
    assert [len(page.rows) for page in pages] == [25, 25, 10]
    assert [row.reference for page in reversed(back) for row in page.rows] == expected
    assert not pages[0].newer


def test_an_unreadable_page_key_gives_the_first_page(client, personas):
    bulk_cases(3, referred_by=personas.coordinator, mediator=personas.mediator)
    client.force_login(personas.mediator)

    response = client.get(reverse("cases:list"), {"after": "<script>.x"})

    assert response.status_code == 200
    assert len(response.context["page"].rows) == 3


def test_the_list_shows_only_cases_the_user_may_see(client, personas):
    bulk_cases(3, referred_by=personas.coordinator, mediator=personas.mediator)
    client.force_login(personas.outsider)

    response = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["page"].rows == []
    assert "There are no cases for you yet." in response.content.decode()


def test_filters_and_search_run_in_the_database(client, personas, django_assert_max_num_queries):
    bulk_cases(4, referred_by=personas.coordinator, mediator=personas.mediator)
    bulk_cases(2, referred_by=personas.coordinator, mediator=personas.mediator, status="closed")
    client.force_login(personas.mediator)

    closed = client.get(reverse("cases:list"), {"status": "closed"})
    searched = client.get(reverse("cases:list"), {"q": "MED-2026-0002"})
    by_title = client.get(reverse("cases:list"), {"q": "wijk 3"})
    none = client.get(reverse("cases:list"), {"q": "nothing like it"}, HTTP_ACCEPT_LANGUAGE="en")

    assert len(closed.context["page"].rows) == 2
    assert [c.reference for c in searched.context["page"].rows] == ["MED-2026-0002"]
    assert len(by_title.context["page"].rows) == 1
    assert "No cases match these filters." in none.content.decode()
