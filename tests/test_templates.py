"""Template source stays readable: no line of a template is longer than MAX_LINE."""

from pathlib import Path

from django.conf import settings

MAX_LINE = 120


def _template_files() -> list[Path]:
    return sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


def test_the_templates_are_found():
    names = {path.name for path in _template_files()}
    assert {"base.html", "round_detail.html", "pareto.html"} <= names


def test_no_template_line_is_longer_than_the_limit():
    long_lines = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {len(line)} characters"
        for path in _template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert long_lines == []
