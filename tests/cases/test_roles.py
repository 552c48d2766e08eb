"""Roles (issue 17, point 3): one audited service gives and takes them, a page for supervisors
and administrators, and an administrator (superuser or staff) never holds a case role nor is
assigned to a case, by any route."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseUserObjectPermission
from cases.permissions import CasePermission, case_access, grant_mediator, visible_cases
from cases.services import case_assign, role_grant, role_revoke, roles_set
from mediation.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


@pytest.fixture(params=["superuser", "staff"])
def administrator(request):
    if request.param == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    return UserFactory(username="staff", is_staff=True)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


# The service


def test_a_supervisor_gives_and_takes_a_role_and_each_change_is_audited(personas):
    person = UserFactory(username="newcomer")

    given = role_grant(user=person, role=Role.MEDIATOR, actor=personas.supervisor)
    again = role_grant(user=person, role=Role.MEDIATOR, actor=personas.supervisor)
    holds = roles_of(_fresh(person))
    taken = role_revoke(user=person, role=Role.MEDIATOR, actor=personas.supervisor)

    assert (given, again, taken) == (True, False, True)
    assert holds == {Role.MEDIATOR} and roles_of(_fresh(person)) == frozenset()
    [granted] = events(AuditAction.ROLE_GRANTED)
    [revoked] = events(AuditAction.ROLE_REVOKED)
    for event in (granted, revoked):
        assert event.actor == personas.supervisor
        assert (event.target_type, event.target_id) == ("auth.user", str(person.pk))
        assert event.details["role"] == "mediator"


def test_an_administrator_is_refused_every_role_and_the_attempt_is_audited(personas, administrator):
    for role in Role:
        with pytest.raises(ValidationError, match="administrator account"):
            role_grant(user=administrator, role=role, actor=personas.supervisor)

    assert not administrator.groups.exists()
    refused = events(AuditAction.ROLE_REFUSED)
    assert [event.details["roles"] for event in refused] == [[role.value] for role in Role]
    assert all(event.target_id == str(administrator.pk) for event in refused)


@pytest.mark.parametrize("who", ["coordinator", "mediator", "outsider"])
def test_only_supervisors_and_administrators_change_roles(personas, who):
    person = UserFactory(username="newcomer")

    with pytest.raises(PermissionDenied):
        role_grant(user=person, role=Role.MEDIATOR, actor=getattr(personas, who))
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    role_grant(user=person, role=Role.MEDIATOR, actor=root)

    assert roles_of(_fresh(person)) == {Role.MEDIATOR}


def test_the_mediator_role_stays_while_the_user_is_on_an_open_case(personas, assigned):
    with pytest.raises(ValidationError, match="open case"):
        role_revoke(user=personas.comediator, role=Role.MEDIATOR, actor=personas.supervisor)

    assert roles_of(_fresh(personas.comediator)) == {Role.MEDIATOR}
    assert not events(AuditAction.ROLE_REVOKED)


def test_a_supervisor_cannot_take_their_own_supervisor_role(personas):
    with pytest.raises(ValidationError, match="your own supervisor role"):
        role_revoke(user=personas.supervisor, role=Role.SUPERVISOR, actor=personas.supervisor)

    assert roles_of(_fresh(personas.supervisor)) == {Role.SUPERVISOR}


def test_setting_roles_is_all_or_nothing(personas):
    person = UserFactory(username="newcomer", roles=[Role.COORDINATOR], is_active=False)

    with pytest.raises(ValidationError, match="not active"):
        roles_set(user=person, roles=[Role.MEDIATOR], actor=personas.supervisor)

    assert set(person.groups.values_list("name", flat=True)) == {"coordinator"}
    assert not events(AuditAction.ROLE_REVOKED)


# The guards on every other route


def test_a_role_group_refuses_an_administrator_by_any_route(administrator):
    mediators = Group.objects.get_or_create(name=Role.MEDIATOR)[0]

    # Each in its own savepoint: Django adds to a many-to-many relation in a transaction.
    with pytest.raises(ValidationError), transaction.atomic():
        administrator.groups.add(mediators)
    with pytest.raises(ValidationError), transaction.atomic():
        mediators.user_set.add(administrator)
    # Other groups are not case roles.
    administrator.groups.add(Group.objects.create(name="helpdesk"))

    assert list(administrator.groups.values_list("name", flat=True)) == ["helpdesk"]


def test_a_holder_of_a_case_role_cannot_be_made_an_administrator(personas):
    mediator = personas.mediator
    mediator.is_superuser = True

    with pytest.raises(ValidationError), transaction.atomic():
        mediator.save()
    assert not _fresh(mediator).is_superuser


def test_an_administrator_left_in_a_role_group_holds_no_role_and_sees_no_case(personas, assigned):
    # As if from before the rule: a membership and grants written directly in the tables.
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    mediators = Group.objects.get_or_create(name=Role.MEDIATOR)[0]
    root.groups.through.objects.create(user=root, group=mediators)
    for permission in CasePermission:
        CaseUserObjectPermission.objects.create(
            user=root,
            content_object=assigned,
            permission=Permission.objects.get(codename=permission.value),
        )
    root = _fresh(root)

    assert roles_of(root) == frozenset()
    assert not case_access(root, assigned).view
    assert not visible_cases(root).exists()
    with pytest.raises(PermissionDenied):
        grant_mediator(assigned, root)


# Assignment


def test_the_assignment_service_refuses_an_administrator_and_the_attempt_is_audited(
    personas, refer, administrator
):
    case = refer()

    with pytest.raises(ValidationError, match="administrator account"):
        case_assign(case=case, lead=administrator, co_mediators=[], actor=personas.supervisor)
    with pytest.raises(ValidationError, match="administrator account"):
        case_assign(
            case=case,
            lead=personas.mediator,
            co_mediators=[administrator],
            actor=personas.supervisor,
        )

    case = Case.objects.get(pk=case.pk)
    assert case.lead_mediator is None and not case.co_mediators.exists()
    refused = events(AuditAction.ROLE_REFUSED)
    assert [(event.case_id, event.details["via"]) for event in refused] == [
        (case.pk, "service"),
        (case.pk, "service"),
    ]
    assert not events(AuditAction.CASE_ASSIGNED)


@pytest.mark.parametrize("in_group", [True, False])
def test_the_assignment_form_refuses_a_superuser_with_a_message_and_audits_it(
    client, personas, refer, in_group
):
    case = refer()
    root = UserFactory(
        username="root", first_name="Beheer", last_name="Systeem", is_superuser=True, is_staff=True
    )
    if in_group:  # left in the group from before the rule
        group = Group.objects.get_or_create(name=Role.MEDIATOR)[0]
        root.groups.through.objects.create(user=root, group=group)
    client.force_login(personas.supervisor)
    url = reverse("cases:assign", args=[case.pk])

    offered = client.get(url)
    check = client.post(url, {"lead": personas.mediator.pk, "co_mediators": [root.pk]})
    confirm = client.post(url, {"lead": root.pk, "confirmed": "True"})

    assert offered.status_code == 200
    # Not offered: neither by name nor by id (the others' random names may hold "root").
    assert "Beheer Systeem" not in offered.content.decode()
    assert f'value="{root.pk}"' not in offered.content.decode()
    for response in (check, confirm):
        assert response.status_code == 200
        assert "root is an administrator account" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert case.lead_mediator is None and not case.co_mediators.exists()
    refused = events(AuditAction.ROLE_REFUSED)
    assert [(event.target_id, event.case_id) for event in refused] == [(str(root.pk), case.pk)] * 2
    assert refused[0].details["via"] == "assignment form"


def test_the_assignment_form_still_says_who_is_no_mediator(client, personas, refer):
    case = refer()
    client.force_login(personas.supervisor)

    response = client.post(
        reverse("cases:assign", args=[case.pk]),
        {"lead": personas.coordinator.pk, "confirmed": "True"},
    )

    assert "coordinator is not an active mediator." in response.content.decode()
    assert Case.objects.get(pk=case.pk).lead_mediator is None


# The page


def test_the_roles_page_lists_everyone_with_their_roles_in_constant_queries(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.supervisor)
    url = reverse("roles:list")
    client.get(url)  # warm up the session and the caches
    with django_assert_max_num_queries(12) as few:
        small = client.get(url)
    for number in range(40):
        UserFactory(username=f"person{number:02d}", roles=[Role.MEDIATOR, Role.COORDINATOR])
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(url)
    second = client.get(url, {"page": 2})

    assert small.status_code == large.status_code == 200
    content = large.content.decode()
    assert "Mediator, Municipal coordinator" in content or "Municipal coordinator, Mediator" in (
        content
    )
    assert len(large.context["page"].object_list) == 25
    assert second.context["page"].number == 2


def test_the_roles_page_finds_people_by_name(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(reverse("roles:list"), {"q": "comed"})

    assert [user.username for user in response.context["page"].object_list] == ["comediator"]


@pytest.mark.parametrize("who", ["coordinator", "mediator", "outsider"])
def test_the_roles_pages_are_refused_to_other_roles(client, personas, who):
    client.force_login(getattr(personas, who))

    for url in (reverse("roles:list"), reverse("roles:change", args=[personas.mediator.pk])):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("roles:change", args=[personas.outsider.pk]), {"roles": ["supervisor"]}
        ).status_code
        == 403
    )
    assert roles_of(_fresh(personas.outsider)) == {Role.MEDIATOR}


def test_anonymous_is_sent_to_the_login_page(client, personas):
    response = client.get(reverse("roles:list"))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_supervisor_gives_a_role_on_the_page(client, personas):
    person = UserFactory(username="newcomer")
    client.force_login(personas.supervisor)

    response = client.post(reverse("roles:change", args=[person.pk]), {"roles": ["mediator"]})

    assert response["Location"] == reverse("roles:list")
    assert roles_of(_fresh(person)) == {Role.MEDIATOR}
    assert events(AuditAction.ROLE_GRANTED)[0].details["via"] == "roles"


def test_taking_a_role_away_asks_for_confirmation_first(client, personas):
    person = UserFactory(username="newcomer", roles=[Role.MEDIATOR, Role.COORDINATOR])
    client.force_login(personas.supervisor)
    url = reverse("roles:change", args=[person.pk])

    asked = client.post(url, {"roles": ["coordinator"]})
    still = roles_of(_fresh(person))
    done = client.post(url, {"roles": ["coordinator"], "confirmed": "True"})

    assert asked.status_code == 200
    assert "Confirm taking roles away" in asked.content.decode()
    assert still == {Role.MEDIATOR, Role.COORDINATOR}
    assert done.status_code == 302
    assert roles_of(_fresh(person)) == {Role.COORDINATOR}
    assert [event.details["role"] for event in events(AuditAction.ROLE_REVOKED)] == ["mediator"]


def test_an_administrator_uses_the_page_but_cannot_give_an_administrator_a_role(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    other = UserFactory(username="admin2", is_staff=True)
    client.force_login(root)

    listing = client.get(reverse("roles:list"))
    response = client.post(reverse("roles:change", args=[other.pk]), {"roles": ["mediator"]})

    assert listing.status_code == 200
    assert "Administrator (no case role)" in listing.content.decode()
    assert response.status_code == 200
    assert "admin2 is an administrator account" in response.content.decode()
    assert not other.groups.exists()
    assert events(AuditAction.ROLE_REFUSED)[0].details["via"] == "roles"


# Passwords


def test_changing_ones_own_password_is_audited_without_the_password(client, personas):
    client.force_login(personas.mediator)
    new_password = "An0ther-long-passw0rd!"

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-Long-test-passw0rd",
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.status_code == 302
    [event] = events(AuditAction.PASSWORD_CHANGED)
    assert event.actor == personas.mediator and event.details["via"] == "own"
    assert new_password not in str(event.details)
