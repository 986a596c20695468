"""The REST API, version 1, under /api/v1/: one NinjaAPI with a router per subject.

django-ninja builds the OpenAPI description from the endpoints' type hints and schemas and
serves Swagger UI from its own package's static files (no CDN), since "ninja" is in
INSTALLED_APPS.
"""

from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from ..auth import SessionCsrfAuth, TokenAuth, TokenRateThrottle
from ..errors import errors_register
from ..parsers import JsonBodyParser
from ..schemas import MeOut
from .base import READ_ERRORS

api = NinjaAPI(
    title="KAISM key accounts API",
    version="1",
    # The description is for developers: in English, like the endpoints' own docs.
    description=(
        "Send a personal API token as `Authorization: Bearer <token>` (admins create "
        "them per user in the admin). Errors come as "
        '`{"error": {"code", "message", "field", "row"}}` in the language of '
        "Accept-Language."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionCsrfAuth()],
    throttle=[TokenRateThrottle()],
    parser=JsonBodyParser(),
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors_register(api)

me_router = Router(tags=["me"])


@me_router.get("", response={200: MeOut, **READ_ERRORS}, url_name="me", summary="Who the caller is")
def me(request):
    from kamapp.roles import user_role

    api_token = getattr(request, "api_token", None)
    role = user_role(request.user)
    return {
        "username": request.user.get_username(),
        "role": role.value if role else None,
        "token": api_token.name if api_token else None,
        "read_only": bool(api_token and api_token.read_only),
    }


api.add_router("/me", me_router)

from .reads import router as reads_router  # noqa: E402

api.add_router("", reads_router)

from .writes import router as writes_router  # noqa: E402

api.add_router("", writes_router)

from .ledger import router as ledger_router  # noqa: E402

api.add_router("", ledger_router)

from .nps import router as nps_router  # noqa: E402

api.add_router("", nps_router)
