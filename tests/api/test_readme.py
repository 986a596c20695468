"""The README's curl examples name real endpoints and parameters of the API."""

import re
import shlex
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def _curl_calls() -> list[tuple[str, str]]:
    """(method, url) of each curl in the README's REST API section."""
    section = README.read_text().split("## REST API", 1)[1].split("\n## ", 1)[0]
    calls = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            if not command.strip().startswith("curl"):
                continue
            words = shlex.split(command, comments=True)
            url = next(word for word in words if word.startswith("https://"))
            posts = any(word in ("-F", "--data-binary", "--data", "-d") for word in words)
            calls.append(("post" if posts else "get", url))
    return calls


def test_every_curl_example_names_an_endpoint_and_its_parameters(client):
    description = client.get("/api/v1/openapi.json").json()
    calls = _curl_calls()
    assert len(calls) >= 6
    for method, url in calls:
        parts = urlsplit(url)
        operation = next(
            (
                operations[method]
                for template, operations in description["paths"].items()
                if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), parts.path)
                and method in operations
            ),
            None,
        )
        assert operation is not None, url
        known = {parameter["name"] for parameter in operation.get("parameters", [])}
        documented = operation.get("requestBody") or operation.get("description", "")
        for name in parse_qs(parts.query):
            assert name in known or name in str(documented), (url, name)
