"""The audit trail on screen: names and labels instead of database ids.

Events store ids (`target_type` + `target_id`, user and participation ids in `details`); the
CSV export keeps them as they are. For the page, `events_for_display` resolves them in bulk:
one query per kind of record on the page, however many events it holds.

The audit app sits below the apps whose records it names, so it imports none of them: it
finds their models through the app registry, and a higher app that wants a better label than
"<kind of record> (<case reference>)" registers a formatter from its `AppConfig.ready()`
(`register_target_label`). Formatters are told whether the viewer may see party names
(`show_names`): a supervisor's trail names kinds of records and cases, not people.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from mediation.types import StrOrPromise

USER = "auth.user"
CASE = "cases.case"

# ids -> {id: label}; `show_names`: the viewer may see the names of the case's parties.
TargetLabels = Callable[[Sequence[str], bool], dict[str, str]]

NONE = "\N{EN DASH}"  # an empty value, as the rest of the table shows it
_target_labels: dict[str, TargetLabels] = {}
# A detail key whose value is an id (or a list of ids) of this kind of record.
_detail_targets: dict[str, str] = {
    "lead": USER,
    "co_mediators": USER,
    "user": USER,
    # Named as strings: the audit app imports no app above it.
    "session": "scheduling.session",
}
# A detail key whose value is a stored choice: its label.
_detail_values: dict[str, dict[str, StrOrPromise]] = {}
_detail_names: dict[str, StrOrPromise] = {
    "lead": _("lead mediator"),
    "co_mediators": _("co-mediators"),
    "user": _("user"),
    "permissions": _("permissions"),
    "version": _("version"),
    "versions": _("versions"),
    "invites": _("invites"),
    "sequence": _("invite version"),
    "reason": _("reason"),
    "fields": _("fields"),
    "filters": _("filters"),
    "purpose": _("purpose"),
    "username": _("user name tried"),
    "session": _("session"),
    "answer": _("answer"),
    "status": _("status"),
    "action": _("action"),
    "follow_up_on": _("follow-up date"),
    "reminder": _("reminder"),
    "reminders": _("reminders"),
}


def register_target_label(target_type: str, labels: TargetLabels) -> None:
    """Name the records of `target_type` ("app_label.model") on the trail."""
    _target_labels[target_type] = labels


def register_detail(
    key: str,
    *,
    name: StrOrPromise | None = None,
    target_type: str | None = None,
    values: Mapping[str, StrOrPromise] | None = None,
) -> None:
    """Say how to show the detail `key`: its name, the kind of record its ids point to, or the
    labels of its stored values (merged with earlier registrations of the same key)."""
    if name is not None:
        _detail_names[key] = name
    if target_type is not None:
        _detail_targets[key] = target_type
    if values is not None:
        _detail_values.setdefault(key, {}).update(values)


@dataclass(frozen=True)
class EventLine:
    """One event as the page shows it."""

    event: AuditEvent
    actor: str
    about: str
    case: str
    details: list[tuple[str, str]]

    def __getattr__(self, name: str) -> Any:
        # The stored event's own fields (sequence, action, occurred_at) read through.
        if name.startswith("__") or name == "event":
            raise AttributeError(name)
        return getattr(self.event, name)


def _user_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    users = get_user_model().objects.filter(pk__in=_ints(ids))
    return {str(user.pk): user.get_full_name() or user.get_username() for user in users}


def _case_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    case_model = apps.get_model("cases", "Case")
    rows = case_model.objects.filter(pk__in=_ints(ids)).values_list("pk", "reference")
    return {str(pk): reference for pk, reference in rows}


def _generic_labels(target_type: str) -> TargetLabels:
    """The kind of record, and its case's reference when it belongs to one."""

    def labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            return {}
        kind = str(capfirst(model._meta.verbose_name))
        fields = {field.name for field in model._meta.get_fields()}
        if "case" not in fields:
            return dict.fromkeys(ids, kind)
        rows = model._default_manager.filter(pk__in=_ints(ids)).values_list("pk", "case__reference")
        return {str(pk): f"{kind} ({reference})" for pk, reference in rows}

    return labels


def _ints(ids: Iterable[Any]) -> list[int]:
    return [int(value) for value in ids if str(value).isdigit()]


def _labeller(target_type: str) -> TargetLabels:
    if target_type == USER:
        return _user_labels
    if target_type == CASE and CASE not in _target_labels:
        return _case_labels
    return _target_labels.get(target_type) or _generic_labels(target_type)


def _kind_of(target_type: str) -> str:
    try:
        return str(capfirst(apps.get_model(target_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return str(_("a record"))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def events_for_display(events: Iterable[AuditEvent], *, show_names: bool) -> list[EventLine]:
    """The events with names and labels, resolved in bulk (one query per kind of record)."""
    events = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.actor_id:
            wanted[USER].add(str(event.actor_id))
        if event.case_id:
            wanted[CASE].add(str(event.case_id))
        if event.target_type and event.target_id:
            wanted[event.target_type].add(event.target_id)
        for key, value in (event.details or {}).items():
            if key in _detail_targets:
                wanted[_detail_targets[key]].update(
                    str(item) for item in _as_list(value) if item is not None
                )
    found = {kind: _labeller(kind)(sorted(ids), show_names) for kind, ids in wanted.items()}

    def name(kind: str, identifier: Any) -> str:
        # A record deleted since (a note, a removed action) is named by its kind only.
        return found.get(kind, {}).get(str(identifier)) or _kind_of(kind)

    lines = []
    for event in events:
        about = ""
        if event.target_type:
            about = name(event.target_type, event.target_id) if event.target_id else ""
            about = about or _kind_of(event.target_type)
        details = []
        for key, value in (event.details or {}).items():
            label = str(_detail_names.get(key, key.replace("_", " ")))
            details.append((label, _detail_value(key, value, name)))
        lines.append(
            EventLine(
                event=event,
                actor=name(USER, event.actor_id) if event.actor_id else event.actor_label,
                about=about,
                case=name(CASE, event.case_id) if event.case_id else "",
                details=details,
            )
        )
    return lines


def _detail_value(key: str, value: Any, name: Callable[[str, Any], str]) -> str:
    if key in _detail_targets:
        items = [name(_detail_targets[key], item) for item in _as_list(value) if item is not None]
        return ", ".join(items) if items else NONE
    choices = _detail_values.get(key, {})
    if isinstance(value, list):
        return ", ".join(str(choices.get(str(item), item)) for item in value) or NONE
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or NONE
    if value is None or value == "":
        return NONE
    return str(choices.get(str(value), value))


def model_label(model: type[models.Model]) -> str:
    """The target type of `model` as events store it ("app_label.model")."""
    return model._meta.label_lower
