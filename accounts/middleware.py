"""Each signed-in user sees the interface in the language they chose in the top bar."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from .models import UserPreference

# The user's choice, copied into the session at sign-in so a page costs no extra query;
# the session is flushed at sign-out, so the next sign-in reads the stored choice again.
SESSION_KEY = "kaism_language"


def user_language_remember(*, request, language: str) -> None:
    request.session[SESSION_KEY] = language


@receiver(user_logged_in, dispatch_uid="accounts.user_language_on_login")
def user_language_load(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""
    )
    user_language_remember(request=request, language=language)


class UserLanguageMiddleware:
    """After authentication: the user's stored language wins over the browser's.

    Anonymous visitors, and users who never chose, keep what LocaleMiddleware chose
    (language cookie, then the browser's Accept-Language).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
