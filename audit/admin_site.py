"""The admin site: every add, change and delete made in it is an event of the audit trail.

Django's admin keeps its own editable log (`LogEntry`); the hash-chained trail must have the
changes too. Every model admin registered on this site gets `AuditedModelAdmin` mixed in, so no
app can forget it: additions and changes through Django's `log_addition` / `log_change` hooks,
deletions (one, or many through the "delete selected" action) after they happen, in their
transaction. An event names the record (type and id) and the fields changed, never a value:
`str(obj)` may be a party's name, a field's value a secret.
"""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from audit.models import AuditAction
from audit.services import audit_record


def _changed_fields(form: Any, formsets: Any) -> list[str]:
    names = sorted(getattr(form, "changed_data", []) or [])
    for formset in formsets or []:
        prefix = formset.model._meta.model_name
        if any(getattr(f, "changed_data", None) for f in formset.forms) or formset.deleted_forms:
            names.append(f"{prefix}[]")
    return names


def admin_change_record(
    *, action: AuditAction, request: HttpRequest, obj: models.Model, fields: list[str]
) -> None:
    """One admin change as an audit event: who, which record, which fields (no values)."""
    audit_record(
        action=action,
        actor=request.user if request.user.is_authenticated else None,
        target=obj,
        details={"model": obj._meta.label_lower, "id": str(obj.pk), "fields": fields},
    )


class AuditedModelAdmin(admin.ModelAdmin):
    """Mixed into every model admin of the site: its changes go into the audit trail."""

    def construct_change_message(self, request, form, formsets, add=False):
        # The names of the changed fields, for log_addition / log_change below.
        request._audit_fields = _changed_fields(form, formsets)
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        admin_change_record(
            action=AuditAction.ADMIN_ADDED,
            request=request,
            obj=obj,
            fields=getattr(request, "_audit_fields", []),
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        admin_change_record(
            action=AuditAction.ADMIN_CHANGED,
            request=request,
            obj=obj,
            fields=getattr(request, "_audit_fields", []),
        )
        return entry

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk = obj.pk
            super().delete_model(request, obj)
            obj.pk = pk  # Django clears it on delete; the event names the record.
            admin_change_record(
                action=AuditAction.ADMIN_DELETED, request=request, obj=obj, fields=[]
            )

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: Django logs these with bulk_create, no signal; each
        # deleted record is its own event, in the deletion's transaction.
        with transaction.atomic():
            doomed = list(queryset)
            super().delete_queryset(request, queryset)
            for obj in doomed:
                admin_change_record(
                    action=AuditAction.ADMIN_DELETED, request=request, obj=obj, fields=[]
                )


class AuditedAdminSite(admin.AdminSite):
    """Django's admin site, with `AuditedModelAdmin` mixed into every model admin."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
