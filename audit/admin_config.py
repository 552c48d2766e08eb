"""Django's admin, with a site that puts every change made there in the audit trail.

Named in INSTALLED_APPS instead of `django.contrib.admin`. Kept apart from `audit.apps` (one
app config per module) and free of model imports: it is loaded before the models are.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "audit.admin_site.AuditedAdminSite"
