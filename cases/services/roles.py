"""Who holds which role: the one place global roles are given and taken, each change audited.

Global roles are Django groups (`mediation.roles.Role`). An administrator (a superuser or staff
account) configures the system and holds no case role, nor can it be assigned to a case: every
attempt, from the roles page, the assignment form, a service or the admin, is refused with one
message and recorded as `role.refused`. `roles_of` gives an administrator no role whatever
the database says, and `admin_role_guard` (connected in `CasesConfig.ready`) refuses the group
membership on any route that bypasses these functions (a shell, a script).
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus
from cases.permissions import is_supervisor
from mediation.roles import Role, is_admin_account
from mediation.types import AnyUser, User

ROLE_NAMES = frozenset(role.value for role in Role)


def admin_refused_message(user: AnyUser) -> str:
    """The one message for an administrator offered a case role or a case."""
    return _(
        "%(name)s is an administrator account: it cannot hold a case role or be assigned to a case."
    ) % {"name": user.get_username()}


def may_manage_roles(user: AnyUser) -> bool:
    """Supervisors and administrators (superusers, or staff allowed to change users)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (user.is_staff and user.has_perm("auth.change_user")):
        return True
    return is_supervisor(user)


def _require_manager(actor: AnyUser) -> None:
    if not may_manage_roles(actor):
        raise PermissionDenied


def _forget_cached_roles(user: AnyUser) -> None:
    # roles_of caches a user's roles on the object; the next question must see the change.
    user.__dict__.pop("_tafel_roles", None)


def role_refusal_record(
    *,
    user: User,
    actor: AnyUser | None,
    via: str,
    roles: Iterable[str] = (),
    case_id: int | None = None,
) -> None:
    """Record that an administrator was refused a role or a case (`via` names the route).

    Written in the caller's transaction; callers raise after it, outside their own atomic
    block, so the refusal stays in the trail while nothing else is saved.
    """
    audit_record(
        action=AuditAction.ROLE_REFUSED,
        actor=actor if isinstance(actor, get_user_model()) else None,
        target=user,
        case_id=case_id,
        details={
            "user": user.pk,
            "reason": "administrator",
            "via": via,
            "roles": sorted(str(role) for role in roles),
        },
    )


def case_assignment_check(
    *, case: Case, users: Iterable[User], actor: User, via: str = "assignment form"
) -> None:
    """Refuse (ValidationError) and record an assignment that names an administrator."""
    refused = [user for user in users if is_admin_account(user)]
    if not refused:
        return
    for user in refused:
        role_refusal_record(user=user, actor=actor, via=via, roles=[Role.MEDIATOR], case_id=case.pk)
    raise ValidationError([admin_refused_message(user) for user in refused])


def role_grant(*, user: User, role: Role, actor: User) -> bool:
    """Give `user` the role; False when they held it already. An administrator is refused."""
    _require_manager(actor)
    role = Role(role)
    if is_admin_account(user):
        role_refusal_record(user=user, actor=actor, via="roles", roles=[role])
        raise ValidationError(admin_refused_message(user))
    if not user.is_active:
        raise ValidationError(
            _("%(name)s is not active and cannot be given a role.") % {"name": user.get_username()}
        )
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=role.value)
        if user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.add(group)
        audit_record(
            action=AuditAction.ROLE_GRANTED,
            actor=actor,
            target=user,
            details={"user": user.pk, "role": role.value, "via": "roles"},
        )
    _forget_cached_roles(user)
    return True


def open_cases_of_mediator(user: AnyUser) -> int:
    """How many open cases `user` is a lead or co-mediator on."""
    return (
        Case.objects.filter(Q(lead_mediator=user) | Q(co_mediators=user))
        .exclude(status=CaseStatus.CLOSED)
        .distinct()
        .count()
    )


def role_revoke(*, user: User, role: Role, actor: User) -> bool:
    """Take the role from `user`; False when they did not hold it.

    Refused: the mediator role while the user is on open cases (assign others first, so no
    case is left without its mediator), and one's own supervisor role (someone must remain
    who can give it back).
    """
    _require_manager(actor)
    role = Role(role)
    if role == Role.SUPERVISOR and user.pk == actor.pk:
        raise ValidationError(_("You cannot take away your own supervisor role."))
    if role == Role.MEDIATOR:
        count = open_cases_of_mediator(user)
        if count:
            raise ValidationError(
                _("%(name)s is a mediator on %(count)d open case(s). Assign other mediators first.")
                % {"name": user.get_username(), "count": count}
            )
    with transaction.atomic():
        group = Group.objects.filter(name=role.value).first()
        if group is None or not user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.remove(group)
        audit_record(
            action=AuditAction.ROLE_REVOKED,
            actor=actor,
            target=user,
            details={"user": user.pk, "role": role.value, "via": "roles"},
        )
    _forget_cached_roles(user)
    return True


def roles_set(*, user: User, roles: Iterable[Role], actor: User) -> tuple[list[Role], list[Role]]:
    """Make `roles` the user's roles, through `role_grant` and `role_revoke`, all or nothing.

    Returns (given, taken).
    """
    wanted = {Role(role) for role in roles}
    held = {
        Role(name)
        for name in user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
    }
    given = sorted(wanted - held)
    taken = sorted(held - wanted)
    if given and is_admin_account(user):
        # Recorded outside the transaction below: the refusal stays in the trail.
        _require_manager(actor)
        role_refusal_record(user=user, actor=actor, via="roles", roles=given)
        raise ValidationError(admin_refused_message(user))
    with transaction.atomic():
        for role in taken:
            role_revoke(user=user, role=role, actor=actor)
        for role in given:
            role_grant(user=user, role=role, actor=actor)
    return given, taken


def user_access_of(user: AnyUser) -> tuple[set[str], set[str]]:
    """A user's group names and direct permissions (app_label.codename), to compare."""
    if user.pk is None:
        return set(), set()
    groups = set(user.groups.values_list("name", flat=True))
    permissions = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(user=user).values_list(
            "content_type__app_label", "codename"
        )
    }
    return groups, permissions


def user_access_changes_record(
    *, user: User, before: tuple[set[str], set[str]], actor: User, via: str
) -> None:
    """Record the change of a user's groups and permissions made elsewhere (the admin).

    Case roles given or taken are `role.granted` / `role.revoked` like on the roles page; other
    groups and direct permissions are one `user.access_changed` event with their names.
    """
    groups_before, permissions_before = before
    groups_after, permissions_after = user_access_of(user)
    for name in sorted((groups_after - groups_before) & ROLE_NAMES):
        audit_record(
            action=AuditAction.ROLE_GRANTED,
            actor=actor,
            target=user,
            details={"user": user.pk, "role": name, "via": via},
        )
    for name in sorted((groups_before - groups_after) & ROLE_NAMES):
        audit_record(
            action=AuditAction.ROLE_REVOKED,
            actor=actor,
            target=user,
            details={"user": user.pk, "role": name, "via": via},
        )
    details: dict[str, Any] = {
        "groups_added": sorted((groups_after - groups_before) - ROLE_NAMES),
        "groups_removed": sorted((groups_before - groups_after) - ROLE_NAMES),
        "permissions_added": sorted(permissions_after - permissions_before),
        "permissions_removed": sorted(permissions_before - permissions_after),
    }
    if any(details.values()):
        audit_record(
            action=AuditAction.USER_ACCESS_CHANGED,
            actor=actor,
            target=user,
            details={"user": user.pk, "via": via, **details},
        )
    _forget_cached_roles(user)


# Guards on the database's own routes, for whatever bypasses the functions above. They refuse
# only; they record nothing (the routes that can answer a user record their refusals).


def admin_role_guard(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed on User.groups: refuse putting an administrator in a case-role group."""
    if action != "pre_add" or not pk_set:
        return
    if not reverse:
        if (
            is_admin_account(instance)
            and Group.objects.filter(pk__in=pk_set, name__in=ROLE_NAMES).exists()
        ):
            raise ValidationError(admin_refused_message(instance))
    elif instance.name in ROLE_NAMES:
        admin = (
            get_user_model()
            .objects.filter(pk__in=pk_set)
            .filter(Q(is_superuser=True) | Q(is_staff=True))
            .first()
        )
        if admin is not None:
            raise ValidationError(admin_refused_message(admin))


def admin_flag_guard(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save on User: refuse making a holder of a case role a superuser or staff account."""
    if instance.pk is None or not is_admin_account(instance):
        return
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return
    if instance.groups.filter(name__in=ROLE_NAMES).exists():
        raise ValidationError(admin_refused_message(instance))
