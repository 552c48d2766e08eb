"""Two supervisors save the same template at once, on PostgreSQL: each gets its own number."""

import pytest

from doctemplates.models import DocumentTemplate, DocumentTemplateVersion
from doctemplates.services import template_version_save
from mediation.roles import Role
from tests.cases.test_concurrency import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.postgresql


def saving(actor, body):
    return lambda: template_version_save(
        kind="closing",
        organisation="Gemeente Utrecht",
        language="nl",
        title="Afsluiting $case_reference",
        body=body,
        actor=actor,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True])
def test_two_saves_at_once_get_numbers_one_after_the_other(personas, existing):
    other = UserFactory(username="supervisor2", roles=[Role.SUPERVISOR])
    if existing:
        saving(personas.supervisor, "Eerste $outcome")()

    results = run_at_once(
        saving(personas.supervisor, "Een $outcome"), saving(other, "Twee $outcome")
    )

    assert all(isinstance(result, DocumentTemplateVersion) for result in results), results
    first = 2 if existing else 1
    assert sorted(result.number for result in results) == [first, first + 1]
    assert DocumentTemplate.objects.count() == 1
