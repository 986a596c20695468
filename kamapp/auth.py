"""Sign-in protection: django-axes' lockout for every sign-in made through a request."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class AxesBackend(AxesStandaloneBackend):
    """django-axes' backend, which also lets through sign-ins made without a request.

    A sign-in without a request (the shell, a management command, the test client's
    `login`) comes from no client that could be locked out; every sign-in over HTTP
    passes its request and is checked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address sign-in locks key on: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT`
    proxies the entry of X-Forwarded-For that the first of them wrote (entries left of it
    come from the client and can be forged)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return request.META.get("REMOTE_ADDR")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    # Each of the N proxies appends the address it was reached from; the last (the one in
    # REMOTE_ADDR) appended the one before it, ... the first appended the client's.
    if len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
