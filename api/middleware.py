"""Each request starts with no API token in the audit context (see `api.audit`)."""

from .audit import audit_token_scope


class ApiTokenScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_token_scope():
            return self.get_response(request)
