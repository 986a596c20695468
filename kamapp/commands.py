"""What the export commands share: the language their labels and headers are written in."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation


def language_argument_add(parser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        help="Language of the headers and labels (default: the site's, LANGUAGE_CODE).",
    )


def language_override(options) -> AbstractContextManager:
    """The command's work in the language asked for, as a page is in its reader's."""
    return translation.override(options.get("language") or settings.LANGUAGE_CODE)
