"""The whole API fuzzed from its own OpenAPI description (schemathesis, in-process through
the WSGI app): no 500s, every response matching its schema. Bounded and deterministic: a
few derandomized examples per operation, so CI runs it in seconds."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

EXAMPLES = 10


# Loaded once at collection: the description needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _connection_kept(connection_kept):
    """The WSGI app is called directly, not through the test client."""


@pytest.fixture
def fuzz_token(settings, token_for, rated_round, ranked):
    """A sales manager's token (the rater of the small round) on demo-like data: a round
    with ratings, six customers, a ledger and its metrics."""
    settings.API_RATE_LIMIT = "100000/min"
    return token_for(rated_round.rater, name="Fuzz")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_call_within_its_schema(case, fuzz_token):
    case.call_and_validate(headers=bearer(fuzz_token))
