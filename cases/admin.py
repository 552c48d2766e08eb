"""Admin for system configuration: kinds of case, users and their groups.

Cases are shown, never changed: their data changes only through the services (the lifecycle,
the assignment), and the admin has no access to notes. Users are changed here, with two rules
of `cases.services.roles`: an administrator (superuser or staff) holds no case role, and every
change of a user's groups and permissions is an event of the audit trail.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError

from cases.models import Case, CaseKind, CaseStatusChange, ConflictOfInterestDeclaration
from cases.services import password_change_record, roles
from mediation.admin import ReadOnlyAdminMixin


@admin.register(CaseKind)
class CaseKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "active", "position"]
    list_editable = ["active", "position"]

    def has_delete_permission(self, request, obj=None):
        # A kind in use stays (PROTECT); switch it off with `active` instead.
        return obj is None or not obj.cases.exists()


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseStatusChange
    fields = ("changed_at", "transition", "from_status", "to_status", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Metadata only, read-only: a case changes through its pages and services, which check
    the rights and write the trail; the admin is not a way around them."""

    list_display = ["reference", "title", "kind", "status", "referred_on", "lead_mediator"]
    list_filter = ["status", "kind", "urgency", "safety_concern"]
    search_fields = ["reference", "title"]
    list_select_related = ["kind", "lead_mediator"]
    fields = readonly_fields = (
        "reference",
        "kind",
        "title",
        "referring_organisation",
        "referred_by",
        "referred_on",
        "urgency",
        "safety_concern",
        "status",
        "outcome",
        "ended_on",
        "lead_mediator",
        "co_mediators",
    )
    inlines = [StatusChangeInline]


@admin.register(ConflictOfInterestDeclaration)
class ConflictOfInterestDeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "mediator", "declaration", "parties_accepted_on", "declared_at"]
    fields = ("case", "mediator", "declaration", "parties_accepted_on", "declared_at")
    readonly_fields = fields


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class TafelUserAdmin(UserAdmin):
    """Django's user admin: an administrator cannot be put in a case-role group (nor a role
    holder made one), and group, permission and password changes are audit events.

    Only a superuser gives access: a staff member who may change users (a helpdesk) edits names,
    addresses and passwords of accounts that are not superusers, and cannot make anyone, itself
    included, staff or superuser, or give groups or permissions.
    """

    ACCESS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + self.ACCESS_FIELDS

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class UserForm(form):  # type: ignore[valid-type, misc]
            def clean(self):
                cleaned = super().clean()
                chosen = {group.name for group in cleaned.get("groups") or []}
                role_names = sorted(chosen & roles.ROLE_NAMES)
                admin_account = cleaned.get("is_superuser") or cleaned.get("is_staff")
                if role_names and admin_account:
                    roles.role_refusal_record(
                        user=self.instance, actor=actor, via="admin", roles=role_names
                    )
                    raise ValidationError(roles.admin_refused_message(self.instance))
                return cleaned

        return UserForm

    def save_related(self, request, form, formsets, change):
        before = roles.user_access_of(form.instance) if change else (set(), set())
        super().save_related(request, form, formsets, change)
        roles.user_access_changes_record(
            user=form.instance, before=before, actor=request.user, via="admin"
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if isinstance(form, AdminPasswordChangeForm):
            request._audit_password_changed = True
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_audit_password_changed", False):
            password_change_record(user=obj, actor=request.user, via="admin")
        return entry
