"""One factory per model, and `make_for_account(model, account)` for the cross-account sweep.

Each app's factories live in their own module; register a builder for every tenant model in
`TENANT_BUILDERS` so the sweep can make an object of account A for any endpoint."""

from tests.factories.brands import (  # noqa: F401
    AccountFactory,
    ApiKeyFactory,
    BrandFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.registry import TENANT_BUILDERS, make_for_account  # noqa: F401
from tests.factories.tracking import *  # noqa: F401,F403,E402
from tests.factories.messaging import *  # noqa: F401,F403,E402
from tests.factories.policies import *  # noqa: F401,F403,E402
from tests.factories.billing import *  # noqa: F401,F403,E402
from tests.factories.shopper_requests import *  # noqa: F401,F403,E402
from tests.factories.webhooks_out import *  # noqa: F401,F403,E402
