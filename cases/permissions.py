"""Every decision about who may see and do what on a case lives here.

Per-case rights are django-guardian object permissions with direct foreign keys
(`CaseUserObjectPermission`), granted and revoked only by the functions below, which the
referral and assignment services call. Checks read those rows directly rather than through
`user.has_perm`, because Django lets a superuser pass every `has_perm`: a superuser configures
the system and must not read notes. Supervisors see every case's metadata (status, dates,
assignment) and its trail by their role, never its notes.

One vocabulary (`CasePermission`) and one answer (`CaseAccess`, read with one query): views
pass the access object to their templates, which read it instead of deciding again, and every
service that changes case data asks `case_permission_require` first.

A case you may not see does not exist for you: `get_case_for_user` raises 404, and
`visible_cases` (the same rule) keeps it out of every list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from mediation.roles import Role, is_admin_account, roles_of
from mediation.types import AnyUser, User

if TYPE_CHECKING:
    from cases.models import Case, CaseUserObjectPermission


class CasePermission(StrEnum):
    """The rights one can hold on a case; the values are the permission codenames on Case."""

    VIEW = "view_case"
    CHANGE = "change_case"
    READ_NOTES = "view_case_notes"
    WRITE_NOTES = "add_case_notes"
    MANAGE_PARTIES = "manage_case_parties"
    SCHEDULE_SESSIONS = "schedule_case_sessions"
    RUN_TRANSITIONS = "run_case_transitions"
    VIEW_TRAIL = "view_case_trail"

    @property
    def perm(self) -> str:
        """The full permission name, as guardian and Django's auth write it."""
        return f"cases.{self.value}"


REFERRER_PERMISSIONS = (CasePermission.VIEW,)
MEDIATOR_PERMISSIONS = tuple(CasePermission)
# What a supervisor may do on any case by their role: see its metadata and its trail.
SUPERVISOR_PERMISSIONS = (CasePermission.VIEW, CasePermission.VIEW_TRAIL)


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do on one case. Templates read it as `access.read_notes` etc."""

    held: frozenset[CasePermission]
    is_supervisor: bool
    is_referrer: bool

    def __contains__(self, permission: object) -> bool:
        return permission in self.held

    @property
    def view(self) -> bool:
        return CasePermission.VIEW in self.held

    @property
    def change(self) -> bool:
        return CasePermission.CHANGE in self.held

    @property
    def read_notes(self) -> bool:
        return CasePermission.READ_NOTES in self.held

    @property
    def write_notes(self) -> bool:
        return CasePermission.WRITE_NOTES in self.held

    @property
    def manage_parties(self) -> bool:
        return CasePermission.MANAGE_PARTIES in self.held

    @property
    def schedule_sessions(self) -> bool:
        return CasePermission.SCHEDULE_SESSIONS in self.held

    @property
    def run_transitions(self) -> bool:
        return CasePermission.RUN_TRANSITIONS in self.held

    @property
    def view_trail(self) -> bool:
        return CasePermission.VIEW_TRAIL in self.held

    @property
    def is_mediator(self) -> bool:
        """A lead or co-mediator of the case: only they hold every right on it."""
        return self.held.issuperset(MEDIATOR_PERMISSIONS)

    @property
    def sees_case_details(self) -> bool:
        """The assignment, urgency and referral text: the case's mediators and supervisors."""
        return self.manage_parties or self.is_supervisor

    @property
    def may_decline(self) -> bool:
        """A supervisor may decline a referral before any mediator is on it."""
        return self.run_transitions or self.is_supervisor

    @property
    def may_reopen(self) -> bool:
        return self.is_supervisor


# The models are looked up through the app registry: cases.models imports this module for the
# transitions' permissions, so importing the models here would be a cycle.
def _cases() -> type[Case]:
    return apps.get_model("cases", "Case")


def _grants() -> type[CaseUserObjectPermission]:
    return apps.get_model("cases", "CaseUserObjectPermission")


NO_ACCESS = CaseAccess(held=frozenset(), is_supervisor=False, is_referrer=False)


def is_supervisor(user: AnyUser) -> bool:
    return Role.SUPERVISOR in roles_of(user)


def case_access(user: AnyUser, case: Case) -> CaseAccess:
    """What `user` may do on `case`: one query on their grants (roles are cached per user)."""
    if not user.is_authenticated or not user.is_active or is_admin_account(user):
        # An administrator reaches no case, even with grants left from before it became one.
        return NO_ACCESS
    held = {
        CasePermission(codename)
        for codename in _grants()
        .objects.filter(user=user, content_object_id=case.pk)
        .values_list("permission__codename", flat=True)
        if codename in CasePermission._value2member_map_
    }
    supervisor = is_supervisor(user)
    if supervisor:
        held.update(SUPERVISOR_PERMISSIONS)
    return CaseAccess(
        held=frozenset(held), is_supervisor=supervisor, is_referrer=case.referred_by_id == user.pk
    )


def has_case_permission(user: AnyUser, case: Case, permission: CasePermission) -> bool:
    """True when `user` holds `permission` on `case`."""
    return permission in case_access(user, case)


def case_permission_require(user: AnyUser, case: Case, permission: CasePermission) -> None:
    """For services: refuse (PermissionDenied) a user without `permission` on `case`."""
    if not has_case_permission(user, case, permission):
        raise PermissionDenied


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    """Cases `user` may see, filtered in the database; the rule of `get_case_for_user`."""
    if not user.is_authenticated or not user.is_active or is_admin_account(user):
        return _cases().objects.none()
    if is_supervisor(user):
        return _cases().objects.all()
    # An uncorrelated IN (subquery): the database reads the user's grants once, instead of
    # probing the grants table for every case row (measured in bench/: on SQLite the
    # correlated EXISTS made a mediator's list grow linearly with all cases).
    granted = (
        _grants()
        .objects.filter(
            user=user,
            permission__codename=CasePermission.VIEW,
            permission__content_type__app_label="cases",
        )
        .values("content_object_id")
    )
    return _cases().objects.filter(pk__in=granted)


def case_ids_with_permission(
    user: AnyUser, case_ids: Iterable[int], permission: CasePermission
) -> set[int]:
    """Which of `case_ids` the user holds `permission` on, in one query (lists, the board)."""
    if not user.is_authenticated or not user.is_active or is_admin_account(user):
        return set()
    return set(
        _grants()
        .objects.filter(
            user=user,
            content_object_id__in=list(case_ids),
            permission__codename=permission,
            permission__content_type__app_label="cases",
        )
        .values_list("content_object_id", flat=True)
    )


def get_case_and_access(
    user: AnyUser, case_id: int | str, permission: CasePermission = CasePermission.VIEW
) -> tuple[Case, CaseAccess]:
    """The case and the user's access to it if they hold `permission`; otherwise 404."""
    try:
        case = (
            _cases().objects.select_related("kind", "lead_mediator", "referred_by").get(pk=case_id)
        )
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access = case_access(user, case)
    if permission not in access:
        raise Http404
    return case, access


def get_case_for_user(
    user: AnyUser, case_id: int | str, permission: CasePermission = CasePermission.VIEW
) -> Case:
    """Return the case if `user` holds `permission` on it; otherwise 404, as if it did not exist."""
    return get_case_and_access(user, case_id, permission)[0]


def _refuse_admin(user: User) -> None:
    # The last lock: the services refuse (and record) an administrator before they get here.
    if is_admin_account(user):
        raise PermissionDenied("An administrator account is given no rights on a case.")


def grant_referrer(case: Case, user: User) -> None:
    """The referring coordinator may follow status, dates and outcome: view only."""
    _refuse_admin(user)
    for permission in REFERRER_PERMISSIONS:
        assign_perm(permission.perm, user, case)


def grant_mediator(case: Case, user: User) -> None:
    """A lead or co-mediator may do everything on the case."""
    _refuse_admin(user)
    for permission in MEDIATOR_PERMISSIONS:
        assign_perm(permission.perm, user, case)


def revoke_mediator(case: Case, user: User) -> None:
    """Take a removed mediator's rights away; the referrer's view right stays if they hold it."""
    keep = set(REFERRER_PERMISSIONS) if user.pk == case.referred_by_id else set()
    for permission in MEDIATOR_PERMISSIONS:
        if permission not in keep:
            remove_perm(permission.perm, user, case)


# Transition permissions, used by the @transition decorators on Case.


def may_run_transitions(case: Case, user: AnyUser) -> bool:
    return case_access(user, case).run_transitions


def may_decline(case: Case, user: AnyUser) -> bool:
    """A supervisor may decline a referral before any mediator is on it."""
    return case_access(user, case).may_decline


def may_reopen(case: Case, user: AnyUser) -> bool:
    return is_supervisor(user)
