"""One date format per language: the short formats are the long ones, so a date reads the
same on every page ("3 Des. 2026" in Indonesian, never also "03-12-2026"). Everything else
falls back to Django's own formats for the language (settings.FORMAT_MODULE_PATH)."""
