"""How the audit trail names API clients and the details of their calls (audit/labels.py)."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from api.models import ApiClient
from audit import labels


def _client_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    rows = ApiClient.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    return {
        str(pk): _("API client: %(name)s") % {"name": name}
        for pk, name in rows.values_list("pk", "name")
    }


def register() -> None:
    client = labels.model_label(ApiClient)
    labels.register_target_label(client, _client_labels)
    labels.register_detail("client", name=_("API client"), target_type=client)
    labels.register_detail("method", name=_("method"))
    labels.register_detail("path", name=_("address"))
    labels.register_detail("acts_as", name=_("acts as"), target_type=labels.USER)
    labels.register_detail("scopes", name=_("scopes"))
    labels.register_detail("webhook", name=_("webhook"))
    labels.register_detail("events", name=_("events"))
