"""Every decision about who may see and do what on a case lives here.

Per-case rights are django-guardian object permissions with direct foreign keys
(`CaseUserObjectPermission`), granted and revoked only by the functions below, which the
referral and assignment services call. Checks read those rows directly rather than through
`user.has_perm`, because Django lets a superuser pass every `has_perm`: a superuser configures
the system and must not read notes. Supervisors see every case's metadata (status, dates,
assignment) by their role, never its notes.

A case you may not see does not exist for you: `get_case_for_user` raises 404, and
`visible_cases` (the same rule) keeps it out of every list.
"""

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from mediation.roles import Role, roles_of

VIEW_CASE = "view_case"
REFERRER_PERMISSIONS = (VIEW_CASE,)
MEDIATOR_PERMISSIONS = (
    VIEW_CASE,
    "change_case",
    "view_case_notes",
    "add_case_notes",
    "manage_case_parties",
    "schedule_case_sessions",
    "run_case_transitions",
    "view_case_trail",
)
# What a supervisor may do on any case by their role: see its metadata and its trail.
SUPERVISOR_PERMISSIONS = (VIEW_CASE, "view_case_trail")


def _codename(perm: str) -> str:
    return perm.split(".", 1)[-1]


def is_supervisor(user) -> bool:
    return Role.SUPERVISOR in roles_of(user)


def case_permissions(user, case) -> frozenset[str]:
    """Return the codenames `user` holds on `case` (one query, cached on the case object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = case.__dict__.setdefault("_permission_cache", {})
    if user.pk not in cache:
        from cases.models import CaseUserObjectPermission

        held = set(
            CaseUserObjectPermission.objects.filter(user=user, content_object=case).values_list(
                "permission__codename", flat=True
            )
        )
        if is_supervisor(user):
            held.update(SUPERVISOR_PERMISSIONS)
        cache[user.pk] = frozenset(held)
    return cache[user.pk]


def has_case_permission(user, case, perm: str) -> bool:
    """True when `user` holds `perm` (e.g. "cases.view_case_notes") on `case`."""
    return _codename(perm) in case_permissions(user, case)


def visible_cases(user) -> QuerySet:
    """Cases `user` may see, filtered in the database; the rule of `get_case_for_user`."""
    from cases.models import Case, CaseUserObjectPermission

    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if is_supervisor(user):
        return Case.objects.all()
    # An uncorrelated IN (subquery): the database reads the user's grants once, instead of
    # probing the grants table for every case row (measured in bench/: on SQLite the
    # correlated EXISTS made a mediator's list grow linearly with all cases).
    granted = CaseUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_CASE, permission__content_type__app_label="cases"
    ).values("content_object_id")
    return Case.objects.filter(pk__in=granted)


def get_case_for_user(user, case_id, perm: str = "cases.view_case"):
    """Return the case if `user` holds `perm` on it; otherwise 404, as if it did not exist."""
    from cases.models import Case

    try:
        case = Case.objects.select_related("kind", "lead_mediator", "referred_by").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_case_permission(user, case, perm):
        raise Http404
    return case


def grant_referrer(case, user) -> None:
    """The referring coordinator may follow status, dates and outcome: view only."""
    for codename in REFERRER_PERMISSIONS:
        assign_perm(f"cases.{codename}", user, case)
    _forget(case)


def grant_mediator(case, user) -> None:
    """A lead or co-mediator may do everything on the case."""
    for codename in MEDIATOR_PERMISSIONS:
        assign_perm(f"cases.{codename}", user, case)
    _forget(case)


def revoke_mediator(case, user) -> None:
    """Take a removed mediator's rights away; the referrer's view right stays if they hold it."""
    keep = set(REFERRER_PERMISSIONS) if user.pk == case.referred_by_id else set()
    for codename in MEDIATOR_PERMISSIONS:
        if codename not in keep:
            remove_perm(f"cases.{codename}", user, case)
    _forget(case)


def _forget(case) -> None:
    case.__dict__.pop("_permission_cache", None)


# Transition permissions, used by the @transition decorators on Case.


def may_run_transitions(case, user) -> bool:
    return has_case_permission(user, case, "run_case_transitions")


def may_decline(case, user) -> bool:
    """A supervisor may decline a referral before any mediator is on it."""
    return may_run_transitions(case, user) or is_supervisor(user)


def may_reopen(case, user) -> bool:
    return is_supervisor(user)
