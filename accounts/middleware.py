"""Each signed-in user sees the interface in the language they chose in the top bar."""

from django.utils import translation

from .models import UserPreference

# The user's choice, cached in the session so a page costs no extra query; the session
# is flushed at sign-out, so the next sign-in reads the stored choice again.
SESSION_KEY = "kaism_language"


def user_language_remember(*, request, language: str) -> None:
    request.session[SESSION_KEY] = language


class UserLanguageMiddleware:
    """After authentication: the user's stored language wins over the browser's.

    Anonymous visitors keep what LocaleMiddleware chose (language cookie, then the
    browser's Accept-Language).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language is None:
                language = (
                    UserPreference.objects.filter(user=user)
                    .values_list("language", flat=True)
                    .first()
                    or ""
                )
                user_language_remember(request=request, language=language)
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
