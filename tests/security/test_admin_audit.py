"""Every change made in the admin is an event of the hash-chained trail (issue 17, points 3
and 4): a user's groups and permissions, a password, and an addition, change or deletion of any
model, with ids and field names, never a value. An administrator cannot be put in a case role
there, and the domain's records are read-only where a service owns their changes."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse

from audit.admin_site import AuditedModelAdmin
from audit.models import AuditAction, AuditEvent
from audit.verification import audit_chain_verify
from cases.models import Case, CaseKind
from mediation.roles import Role, roles_of
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(root):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    return client


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def form_data(client: Client, url: str, **changes) -> dict:
    """The admin form at `url` as a browser would send it back, with `changes`."""
    form = client.get(url).context["adminform"].form
    data: dict = {}
    for name, bound in form._bound_items():
        if bound.field.disabled:
            continue
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value)
            for index, (part, subwidget) in enumerate(zip(parts, widget.widgets, strict=True)):
                data[f"{name}_{index}"] = "" if part is None else subwidget.format_value(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def user_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def test_every_model_admin_writes_the_trail():
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedModelAdmin), model


def test_giving_and_taking_a_role_in_the_user_admin_is_audited(admin_client, root, personas):
    person = UserFactory(username="newcomer")
    mediators = Group.objects.get_or_create(name=Role.MEDIATOR)[0]

    given = admin_client.post(
        user_url(person), form_data(admin_client, user_url(person), groups=[str(mediators.pk)])
    )
    holds = roles_of(type(person).objects.get(pk=person.pk))
    taken = admin_client.post(
        user_url(person), form_data(admin_client, user_url(person), groups=[])
    )

    assert given.status_code == taken.status_code == 302
    assert holds == {Role.MEDIATOR}
    [granted] = events(AuditAction.ROLE_GRANTED)
    [revoked] = events(AuditAction.ROLE_REVOKED)
    for event in (granted, revoked):
        assert event.actor == root and event.target_id == str(person.pk)
        assert event.details == {"user": person.pk, "role": "mediator", "via": "admin"}
    changed = events(AuditAction.ADMIN_CHANGED)
    assert len(changed) == 2 and all("groups" in event.details["fields"] for event in changed)
    assert all(event.details["model"] == "auth.user" for event in changed)


def test_other_groups_and_permissions_in_the_user_admin_are_audited(admin_client, root):
    person = UserFactory(username="newcomer")
    helpdesk = Group.objects.create(name="helpdesk")
    permission = Permission.objects.get(codename="change_casekind")

    admin_client.post(
        user_url(person),
        form_data(
            admin_client,
            user_url(person),
            groups=[str(helpdesk.pk)],
            user_permissions=[str(permission.pk)],
        ),
    )

    [event] = events(AuditAction.USER_ACCESS_CHANGED)
    assert event.actor == root
    assert event.details == {
        "user": person.pk,
        "via": "admin",
        "groups_added": ["helpdesk"],
        "groups_removed": [],
        "permissions_added": ["cases.change_casekind"],
        "permissions_removed": [],
    }


def test_the_user_admin_refuses_a_case_role_for_a_superuser_and_audits_it(
    admin_client, root, personas, assigned
):
    mediators = Group.objects.get_or_create(name=Role.MEDIATOR)[0]

    response = admin_client.post(
        user_url(root), form_data(admin_client, user_url(root), groups=[str(mediators.pk)])
    )

    assert response.status_code == 200
    assert "root is an administrator account" in response.content.decode()
    assert not root.groups.exists()
    [event] = events(AuditAction.ROLE_REFUSED)
    assert event.actor == root and event.target_id == str(root.pk)
    assert event.details["via"] == "admin" and event.details["roles"] == ["mediator"]
    assert not events(AuditAction.ROLE_GRANTED) and not events(AuditAction.ADMIN_CHANGED)
    # And with no role, no case: the case page is a 404 for the superuser.
    assert admin_client.get(f"/cases/{assigned.pk}/").status_code == 404


def test_the_user_admin_refuses_to_make_a_mediator_an_administrator(admin_client, personas):
    mediator = personas.mediator

    response = admin_client.post(
        user_url(mediator), form_data(admin_client, user_url(mediator), is_superuser="on")
    )

    assert response.status_code == 200
    assert "mediator is an administrator account" in response.content.decode()
    mediator.refresh_from_db()
    assert not mediator.is_superuser
    assert events(AuditAction.ROLE_REFUSED)[0].target_id == str(mediator.pk)


def test_a_password_set_in_the_admin_is_audited_without_the_password(admin_client, root, personas):
    url = reverse("admin:auth_user_password_change", args=[personas.mediator.pk])
    secret = "Adm1n-set-passw0rd-2026"

    response = admin_client.post(
        url, {"password1": secret, "password2": secret, "usable_password": "true"}
    )

    assert response.status_code == 302
    [event] = events(AuditAction.PASSWORD_CHANGED)
    assert event.actor == root and event.target_id == str(personas.mediator.pk)
    assert event.details == {"user": personas.mediator.pk, "via": "admin", "usable": True}
    [changed] = events(AuditAction.ADMIN_CHANGED)
    assert changed.details["fields"]  # the names of the form's fields
    assert secret not in str([e.details for e in AuditEvent.objects.all()])


def test_adding_changing_and_deleting_in_the_admin_are_audited(admin_client, root):
    add = admin_client.post(
        reverse("admin:cases_casekind_add"),
        {"code": "neighbours", "name_nl": "Buren", "name_en": "Neighbours", "position": "5"},
    )
    kind = CaseKind.objects.get(code="neighbours")
    change_url = reverse("admin:cases_casekind_change", args=[kind.pk])
    change = admin_client.post(
        change_url, form_data(admin_client, change_url, name_en="Neighbours and streets")
    )
    delete = admin_client.post(
        reverse("admin:cases_casekind_delete", args=[kind.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (302, 302, 302)
    assert not CaseKind.objects.filter(code="neighbours").exists()
    [added] = events(AuditAction.ADMIN_ADDED)
    [changed] = events(AuditAction.ADMIN_CHANGED)
    [deleted] = events(AuditAction.ADMIN_DELETED)
    for event in (added, changed, deleted):
        assert event.actor == root
        assert (event.target_type, event.target_id) == ("cases.casekind", str(kind.pk))
        assert event.details["model"] == "cases.casekind"
    assert set(added.details["fields"]) >= {"code", "name_nl", "name_en"}
    assert changed.details["fields"] == ["name_en"]
    # Field names only: no value typed in the admin is in the trail.
    assert "Neighbours and streets" not in str(changed.details)
    assert audit_chain_verify().intact


def test_deleting_several_records_with_the_action_audits_each(admin_client, root):
    kinds = [
        CaseKind.objects.create(code=f"extra{number}", name_nl="x", name_en="x")
        for number in range(3)
    ]

    response = admin_client.post(
        reverse("admin:cases_casekind_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(kind.pk) for kind in kinds],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not CaseKind.objects.filter(code__startswith="extra").exists()
    deleted = events(AuditAction.ADMIN_DELETED)
    assert sorted(event.target_id for event in deleted) == sorted(str(k.pk) for k in kinds)


def test_a_group_permission_change_in_the_admin_is_audited(admin_client, root):
    group = Group.objects.create(name="helpdesk")
    url = reverse("admin:auth_group_change", args=[group.pk])
    permission = Permission.objects.get(codename="view_casekind")

    admin_client.post(url, form_data(admin_client, url, permissions=[str(permission.pk)]))

    [event] = events(AuditAction.ADMIN_CHANGED)
    assert event.details == {"model": "auth.group", "id": str(group.pk), "fields": ["permissions"]}


# Records whose changes a service owns (it checks the rights, keeps the history, writes the
# trail) are read-only in the admin. The configuration below is the admin's to change.
ADMIN_EDITABLE = {
    "auth.user",
    "auth.group",
    "cases.casekind",
    "dossier.retentionpolicy",
    # The municipal systems that call the API (issue 21): registered, changed and deactivated
    # by the administrator (never deleted: the trail and their referrals name them).
    "api.apiclient",
    "zgw.zgwconfiguration",  # a municipality's Zaken API (its secret write-only)
}


def test_the_domains_records_are_read_only_in_the_admin(rf, root):
    request = rf.get("/admin/")
    request.user = root
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in ADMIN_EDITABLE:
            continue
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label


def test_a_case_cannot_be_changed_in_the_admin(admin_client, assigned):
    url = reverse("admin:cases_case_change", args=[assigned.pk])

    response = admin_client.post(url, {"title": "Nieuwe titel"})

    assert response.status_code == 403
    assert Case.objects.get(pk=assigned.pk).title == assigned.title
    assert not events(AuditAction.ADMIN_CHANGED)


def test_a_change_in_the_admins_list_is_audited(admin_client, root):
    kind = CaseKind.objects.create(code="neighbours", name_nl="Buren", name_en="Neighbours")
    kinds = list(CaseKind.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(kinds)),
        "form-INITIAL_FORMS": str(len(kinds)),
        "_save": "Save",
    }
    for index, each in enumerate(kinds):
        data[f"form-{index}-id"] = str(each.pk)
        data[f"form-{index}-position"] = str(each.position)
        if each.active and each.pk != kind.pk:
            data[f"form-{index}-active"] = "on"

    response = admin_client.post(reverse("admin:cases_casekind_changelist"), data)

    assert response.status_code == 302
    assert not CaseKind.objects.get(pk=kind.pk).active
    [event] = events(AuditAction.ADMIN_CHANGED)
    assert event.actor == root and event.target_id == str(kind.pk)
    assert event.details["fields"] == ["active"]


@pytest.fixture
def helpdesk_client():
    """A staff member who may view and change users, and is not a superuser."""
    helpdesk = UserFactory(username="helpdesk", is_staff=True)
    helpdesk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(helpdesk)
    return client, helpdesk


def test_a_staff_member_cannot_give_itself_or_others_access(helpdesk_client, personas):
    client, helpdesk = helpdesk_client
    everything = Group.objects.create(name="everything")
    everything.permissions.set(Permission.objects.all())
    sneaky = {
        "is_superuser": "on",
        "groups": [str(everything.pk)],
        "user_permissions": [str(Permission.objects.get(codename="add_user").pk)],
    }

    for person in (helpdesk, personas.coordinator):
        data = form_data(client, user_url(person), first_name="Renamed", **sneaky)
        assert client.post(user_url(person), data).status_code == 302
        person.refresh_from_db()
        assert person.first_name == "Renamed"  # what a helpdesk may change, it changes
        assert not person.is_superuser
        assert not person.groups.filter(name="everything").exists()
        assert not person.user_permissions.filter(codename="add_user").exists()
    assert roles_of(personas.coordinator) == {Role.COORDINATOR}


def test_a_staff_member_cannot_change_a_superusers_account(helpdesk_client, root):
    client, _helpdesk = helpdesk_client
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])

    assert (
        client.post(user_url(root), {"username": "taken", "email": "x@example.nl"}).status_code
        == 403
    )
    assert (
        client.post(
            password_url, {"password1": "Nieuw-wachtwoord-1", "password2": "Nieuw-wachtwoord-1"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"}).status_code
        == 403
    )
    root.refresh_from_db()
    assert root.username == "root"
    assert root.check_password(TEST_PASSWORD)
