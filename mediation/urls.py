"""URL configuration for Tafel: the root that wires every app in (outside the layers)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard.views import home
from mediation import mailbox_views, views
from mediation.forms import LoginForm

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", include("cases.password_urls")),  # audited: password.changed
    path("accounts/roles/", include("cases.role_urls")),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/session/", views.idle_session, name="idle_session"),
    path("accounts/settings/", include("cases.account_urls")),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("accounts/two-factor/passkeys/", include("twofactor.webauthn")),
    path("accounts/lockouts/", include("cases.lockout_urls")),
    path("audit/", include("audit.urls")),
    path("cases/", include("cases.urls")),
    path("cases/", include("agreements.urls")),
    path("cases/", include("parties.urls")),
    path("cases/", include("documents.urls")),
    path("cases/", include("letters.urls")),
    path("dossier/", include("dossier.urls")),
    path("reports/", include("reporting.urls")),
    path("templates/", include("doctemplates.urls")),
    path("", include("dashboard.urls")),
    path("", include("scheduling.urls")),
    path("", include("surveys.urls")),
    path("p/", include("portal.urls")),
    path("api/v1/", include("api.urls")),
    path("dev/mailbox/", mailbox_views.mailbox, name="dev_mailbox"),
    path("dev/mailbox/<str:name>/", mailbox_views.mailbox_message, name="dev_mailbox_message"),
    path(
        "dev/mailbox/<str:name>/<int:index>/",
        mailbox_views.mailbox_attachment,
        name="dev_mailbox_attachment",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
