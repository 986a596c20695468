"""Sign-in protection: django-axes' lockout for every sign-in made through a request."""

from axes.backends import AxesStandaloneBackend


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
