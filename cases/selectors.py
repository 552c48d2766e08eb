"""Reading cases: lists, queues and caseload, always through `visible_cases`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language

from cases.models import Case, CaseStatus, ConflictOfInterestDeclaration
from cases.permissions import visible_cases
from mediation.roles import Role
from mediation.types import User


def case_list_for_user(
    *, user, status: str = "", kind: str = "", search: str = "", mine_only: bool = False
) -> QuerySet[Case]:
    """Cases the user may see, filtered and searched in the database, newest first.

    `mine_only` narrows a supervisor's list to cases they are on; others only see their own.
    """
    cases = visible_cases(user).select_related("kind", "lead_mediator")
    if mine_only:
        cases = cases.filter(
            Q(lead_mediator=user) | Q(co_mediators=user) | Q(referred_by=user)
        ).distinct()
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind__code=kind)
    if search:
        cases = cases.filter(Q(reference__icontains=search) | Q(title__icontains=search))
    return cases.order_by("-referred_on", "-id")


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read from a key, newest first: no OFFSET and no count of the whole.

    `newer` and `older` are the keys of the pages either side ("2026-11-30.123"), or "" where
    the list ends; the page's own rows are in `rows`.
    """

    rows: list
    newer: str
    older: str


def _key(day: date, pk: int) -> str:
    return f"{day.isoformat()}.{pk}"


def _parse_key(value: str) -> tuple[date, int] | None:
    day, _, pk = value.partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def case_page(cases: QuerySet[Case], *, after: str = "", before: str = "", size: int) -> KeysetPage:
    """A page of the case list (newest referral first) from a key, as `CaseListRow`s.

    `after` gives the page that follows the key (older cases), `before` the one that precedes
    it (newer cases); neither, or a key that cannot be read: the first page. Each page is one
    range read of the index on (referred_on, id), so its time does not grow with the depth of
    the page or the number of cases, and nothing counts the whole list.
    """
    older_than, newer_than = _parse_key(after), _parse_key(before)
    if newer_than is not None:
        day, pk = newer_than
        # `referred_on__gte` bounds the range read; the OR only drops the key's own day.
        newer = cases.filter(referred_on__gte=day).filter(
            Q(referred_on__gt=day) | Q(referred_on=day, id__gt=pk)
        )
        rows = case_list_rows(newer.order_by("referred_on", "id")[: size + 1])
        return _keyset_page(rows[:size][::-1], newer=len(rows) > size, older=True)
    if older_than is not None:
        day, pk = older_than
        cases = cases.filter(referred_on__lte=day).filter(
            Q(referred_on__lt=day) | Q(referred_on=day, id__lt=pk)
        )
    rows = case_list_rows(cases.order_by("-referred_on", "-id")[: size + 1])
    return _keyset_page(rows[:size], newer=older_than is not None, older=len(rows) > size)


def _keyset_page(rows: list["CaseListRow"], *, newer: bool, older: bool) -> KeysetPage:
    if not rows:
        return KeysetPage(rows=[], newer="", older="")
    first, last = rows[0], rows[-1]
    return KeysetPage(
        rows=rows,
        newer=_key(first.referred_day, first.id) if newer else "",
        older=_key(last.referred_day, last.id) if older else "",
    )


@dataclass(frozen=True, slots=True)
class CaseListRow:
    """One line of the case list, as the table shows it."""

    id: int
    url: str
    reference: str
    title: str
    kind: str
    status: str
    status_label: str
    referred_on: str  # "5 Jan 2027", in the active language
    referred_day: date
    lead_mediator: str  # full name, else user name; "" while nobody is assigned

    def __getitem__(self, name: str):
        # Django's templates try `row[name]` before `row.name`: answering it saves raising
        # and catching an exception for every cell of the table.
        return getattr(self, name)


def case_list_rows(cases: QuerySet[Case]) -> list[CaseListRow]:
    """The lines of one page of `cases` (filtered and sliced already), in one query.

    Only the columns the list shows, as plain values: building a case, its kind and its lead
    mediator as model instances for every line and reaching into them from the template cost
    more than the rest of the page (bench/, measure 2). Each value is the one the page showed
    from the models: `str(case.kind)`, `case.get_status_display()`, the lead mediator's
    `get_full_name() or get_username()`, `{% url 'cases:detail' %}` and the date filter;
    tests/cases/test_case_list_page.py holds them to that.
    """
    language = get_language()
    # CaseKind.__str__ picks the name by the active language: read only that column.
    kind_name = "kind__name_en" if (language or "nl").startswith("en") else "kind__name_nl"
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    detail_url = _url_for_id("cases:detail")
    values = cases.values_list(
        "id",
        "reference",
        "title",
        kind_name,
        "status",
        "referred_on",
        "lead_mediator__username",
        "lead_mediator__first_name",
        "lead_mediator__last_name",
    )
    return [
        CaseListRow(
            id=pk,
            url=detail_url(pk),
            reference=reference,
            title=title,
            kind=kind,
            status=status,
            status_label=statuses.get(status, status),
            referred_on=_list_date(referred_on, language),
            referred_day=referred_on,
            # AbstractUser.get_full_name(), else the user name; no user name: nobody assigned.
            lead_mediator=(f"{first_name} {last_name}".strip() or username) if username else "",
        )
        for (
            pk,
            reference,
            title,
            kind,
            status,
            referred_on,
            username,
            first_name,
            last_name,
        ) in values
    ]


# A case id no database reaches: it marks where a URL holds the id.
_ID_PLACEHOLDER = str(2**63 - 1)


def _url_for_id(view_name: str) -> Callable[[int], str]:
    """`reverse(view_name, args=[id])` for the ids of a whole page, at the cost of one."""
    head, _, tail = reverse(view_name, args=[_ID_PLACEHOLDER]).rpartition(_ID_PLACEHOLDER)
    return lambda pk: f"{head}{pk}{tail}"


@lru_cache(maxsize=4096)
def _list_date(day: date, language: str | None) -> str:
    """`day` as the list shows it ("5 Jan 2027"), formatted once per language: Django's date
    formatting cost more than the rest of a line, and the same dates come back request after
    request. `language` is the active one, passed in so that each language has its own entries.
    """
    return date_format(day, "j M Y")


_OPEN = [status for status in CaseStatus if status != CaseStatus.CLOSED]


def referral_queue() -> QuerySet[Case]:
    """New referrals waiting for a lead mediator: safety concerns first, then urgency, age."""
    return (
        Case.objects.filter(status=CaseStatus.REFERRED, lead_mediator__isnull=True)
        .select_related("kind")
        .order_by("queue_rank", "referred_on", "id")
    )


def unassigned_referrals(*, limit: int = 10) -> list[Case]:
    """The first `limit` referrals waiting for a mediator, in the queue's order: safety
    concerns first, then urgency, then the oldest. One range read of the index on (status,
    lead_mediator, queue_rank, referred_on, id), however many referrals wait.
    """
    return list(
        Case.objects.filter(status=CaseStatus.REFERRED, lead_mediator__isnull=True)
        .select_related("kind")
        .order_by("queue_rank", "referred_on", "id")[:limit]
    )


@dataclass(frozen=True)
class Caseload:
    mediator: User
    leading: int
    co_mediating: int


def caseload_page(*, after: str = "", size: int = 25) -> tuple[list[Caseload], str]:
    """Open cases per mediator, a page of mediators in name order after the user name
    `after`; and the user name to continue from ("" on the last page). Two queries: the
    mediators, then their open cases counted through the indexes on the mediator columns.
    """
    mediators = list(
        get_user_model()
        .objects.filter(groups__name=Role.MEDIATOR, is_active=True, username__gt=after)
        .order_by("username")[: size + 1]
    )
    more, mediators = len(mediators) > size, mediators[:size]
    ids = [m.pk for m in mediators]
    leading = dict(
        Case.objects.filter(lead_mediator__in=ids, status__in=_OPEN)
        .order_by()
        .values_list("lead_mediator")
        .annotate(n=Count("pk"))
    )
    co = dict(
        Case.co_mediators.through.objects.filter(user__in=ids, case__status__in=_OPEN)
        .order_by()
        .values_list("user")
        .annotate(n=Count("pk"))
    )
    rows = [Caseload(m, leading.get(m.pk, 0), co.get(m.pk, 0)) for m in mediators]
    return rows, (mediators[-1].get_username() if more and mediators else "")


def mediator_choices() -> QuerySet:
    """Active users with the mediator role, for assignment."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.MEDIATOR, is_active=True)
        # An administrator holds no case role, even if the database says otherwise.
        .exclude(Q(is_superuser=True) | Q(is_staff=True))
        .order_by("last_name", "first_name", "username")
    )


def mediator_ids(*, case: Case) -> set[int]:
    """Ids of the lead mediator and co-mediators."""
    ids = set(case.co_mediators.values_list("pk", flat=True))
    if case.lead_mediator_id is not None:
        ids.add(case.lead_mediator_id)
    return ids


@dataclass(frozen=True)
class MediatorOnCase:
    user: User
    is_lead: bool
    declaration: ConflictOfInterestDeclaration | None


def mediators_with_declarations(*, case: Case) -> list[MediatorOnCase]:
    """The lead mediator and co-mediators, each with their conflict-of-interest declaration."""
    declarations = {d.mediator_id: d for d in case.declarations.all()}
    people = [case.lead_mediator] if case.lead_mediator is not None else []
    people += list(case.co_mediators.order_by("last_name", "username"))
    return [
        MediatorOnCase(user, user.pk == case.lead_mediator_id, declarations.get(user.pk))
        for user in people
    ]


def users_with_roles(*, search: str = "") -> QuerySet:
    """Every user with their case-role groups (prefetched: `user.role_groups`), for the roles
    page; the number of queries does not grow with the page."""
    users = get_user_model().objects.order_by("last_name", "first_name", "username", "pk")
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return users.prefetch_related(
        Prefetch(
            "groups",
            queryset=Group.objects.filter(name__in=[role.value for role in Role]).order_by("name"),
            to_attr="role_groups",
        )
    )
