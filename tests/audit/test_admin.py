import pytest
from django.urls import reverse

from audit.models import AuditAction
from audit.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_events_but_cannot_add_change_or_delete_them(admin_client_):
    event = audit_record(action=AuditAction.LOGIN, actor=None)

    listing = admin_client_.get(reverse("admin:audit_auditevent_changelist"))
    add = admin_client_.get(reverse("admin:audit_auditevent_add"))
    detail = admin_client_.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    post = admin_client_.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor_label": "x"}
    )
    delete = admin_client_.post(reverse("admin:audit_auditevent_delete", args=[event.pk]))

    assert listing.status_code == 200
    assert add.status_code == 403
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert post.status_code == 403
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.actor_label == "system"
