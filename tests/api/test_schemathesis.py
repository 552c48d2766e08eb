"""The API tested like a public API (issue 21, point 5): schemathesis reads the OpenAPI schema
from a live server, generates calls from it for every operation (valid and invalid ones) and
sends them with a client's token. No call may fail with a server error, and every response must
match the schema: its status code, content type, headers and body.

One check is left out: `positive_data_acceptance` (every request the schema allows succeeds).
The API rightly refuses some of those, for rules a schema cannot state: a period whose end lies
before its start, a kind code that does not exist, a cursor this list never gave. Refusing
invalid data (`negative_data_rejection`) is checked.

(The operations are run one by one from the loaded schema: schemathesis' lazy pytest loader
does not work with pytest 9.)"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_operation_keeps_to_its_schema(live_server, caller):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    headers = {"Authorization": f"Bearer {caller.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4  # referrals (list, create, one), case kinds, the schema

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            case.call_and_validate(
                headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance]
            )

        run()
