"""The user's own password change, included by the root URLconf at /accounts/password/.

No app_name: the page keeps Django's name `password_change`.
"""

from django.urls import path

from cases.account_views import password_change

urlpatterns = [path("", password_change, name="password_change")]
