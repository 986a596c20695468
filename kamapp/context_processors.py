"""Template context shared by every page."""


def csp_nonce(request) -> dict:
    """The request's CSP nonce under the name django-htmx's {% htmx_script %} reads.

    Django 6 ships this as `django.template.context_processors.csp`.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
