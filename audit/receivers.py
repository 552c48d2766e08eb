"""Login, logout and failed logins, recorded in the audit trail.

Django's authentication views announce these only through signals, so the receivers here are
the one place they are recorded. They only record; they change nothing else.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from audit.context import current_client_address
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is None:
        return
    # The idle timeout (mediation.idle) marks the request before it signs the user out.
    if getattr(request, "idle_timed_out", False):
        audit_record(
            action=AuditAction.LOGOUT_IDLE,
            actor=user,
            details={"idle_timeout_seconds": settings.TAFEL_IDLE_TIMEOUT_SECONDS},
        )
    else:
        audit_record(action=AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name typed is kept; the password attempt never is.
    username_field = get_user_model().USERNAME_FIELD
    typed = str(credentials.get(username_field, ""))
    # Hostile input (control characters, megabytes of text) must not break the login page.
    attempted = "".join(char for char in typed[:150] if char.isprintable())
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        actor_label="anonymous",
        details={"username": attempted},
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def record_locked_out(sender, request, username, ip_address, **kwargs):
    """One `auth.locked_out` event per lockout of a user name from an address.

    Axes announces a lockout again at every refused try while it lasts; those tries are in
    the trail as failed logins already, so a repeat within the cool-off is not recorded again.
    """
    typed = "".join(char for char in str(username or "")[:150] if char.isprintable())
    address = current_client_address()
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, occurred_at__gte=since, client_address=address
    ).values_list("details", flat=True)[:500]
    if any(details.get("username") == typed for details in recent):
        return
    user_model = get_user_model()
    account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: typed}).first()
    audit_record(
        action=AuditAction.LOCKED_OUT,
        actor=None,
        actor_label="anonymous",
        target=account,
        details={
            "username": typed,
            "cooloff_minutes": settings.TAFEL_LOGIN_COOLOFF_MINUTES,
        },
    )
