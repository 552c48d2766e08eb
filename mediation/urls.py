"""URL configuration for Tafel."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mediation import views
from mediation.forms import LoginForm, TafelPasswordChangeForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=TafelPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("audit/", include("audit.urls")),
    path("cases/", include("cases.urls")),
    path("cases/<int:case_id>/participants/", include("parties.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
