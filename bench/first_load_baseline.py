"""Settings for the baseline of bench/first_load.py: the static files as they were served
before the partial bundle. plotly's full bundle (4.8 MB) from the Python plotly package,
straight from the finders, uncompressed and with `max-age=0`, as `make run` served it."""

import importlib.util
from pathlib import Path

from kamapp.settings import *  # noqa: F403
from kamapp.settings import STATICFILES_DIRS, STORAGES

_FULL_BUNDLE_DIR = Path(importlib.util.find_spec("plotly").origin).parent / "package_data"
STATICFILES_DIRS = [*STATICFILES_DIRS, ("vendor/plotly-full", _FULL_BUNDLE_DIR)]
PLOTLY_JS = "vendor/plotly-full/plotly.min.js"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 0
