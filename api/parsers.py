"""How the API reads a request body: JSON only, sent as JSON (a form or text is a 415)."""

from ninja.parser import Parser

from .errors import UnsupportedMediaType


def is_json(content_type: str) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class JsonBodyParser(Parser):
    def parse_body(self, request):
        if not is_json(request.content_type):
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)
