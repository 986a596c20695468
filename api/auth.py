"""Who calls the API: a personal token (`Authorization: Bearer ...`) or the signed-in
session (with its CSRF check), and how often a token may call."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from .audit import audit_token_set
from .errors import ApiError
from .services import api_token_use

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """A personal API token: the request acts as the token's user, and a read-only token
    is refused any write."""

    def authenticate(self, request, token: str):
        api_token = api_token_use(raw=token)
        if api_token is None:
            raise ApiError(
                401, "token_invalid", _("This API token is unknown, revoked or expired.")
            )
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise ApiError(403, "read_only", _("This API token may only read."))
        request.user = api_token.user
        request.api_token = api_token
        audit_token_set(api_token)
        return api_token.user


class SessionCsrfAuth(SessionAuth):
    """The app's own pages: the signed-in session, writes checked for their CSRF token."""

    openapi_name = "session"


class TokenRateThrottle(SimpleRateThrottle):
    """`API_RATE_LIMIT` requests per token (e.g. "600/min"), and as many per signed-in user
    calling with the session."""

    scope = "token"

    def __init__(self):
        # The rate is read from the settings on each request (tests change it).
        self.history = []

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        api_token = getattr(request, "api_token", None)
        if api_token is not None:
            # By the hash, not the id: ids come again after a rollback, tokens never do.
            return f"api-throttle-{api_token.key_hash[:32]}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"api-throttle-session-{user.pk}"
        return None
