"""The sign-in lockouts page, included by the root URLconf at /accounts/lockouts/.

No app_name, like the other account pages: the page is the project-wide `lockouts`.
"""

from django.urls import path

from cases.account_views import lockouts

urlpatterns = [path("", lockouts, name="lockouts")]
