"""Two-factor sign-in pages, under /accounts/two-factor/ (the root URLconf includes them)."""

from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("app/", views.app_setup, name="app"),
    path("passkey/", views.passkey_setup, name="passkey"),
    path("passkey/done/", views.passkey_done, name="passkey_done"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.recovery_codes_regenerate, name="recovery_regenerate"),
    path("app/<int:pk>/remove/", views.device_remove, {"kind": "app"}, name="remove_app"),
    path(
        "passkey/<int:pk>/remove/",
        views.device_remove,
        {"kind": "passkey"},
        name="remove_passkey",
    ),
    path("verify/", views.verify, name="verify"),
]
