"""The user's own settings page, included by the root URLconf at /accounts/settings/.

No app_name: the page's name is the project-wide `account_settings`, like the other account
pages (login, password_change).
"""

from django.urls import path

from cases.account_views import account_settings

urlpatterns = [path("", account_settings, name="account_settings")]
