"""Request and response shapes of the API (pydantic, through django-ninja)."""

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None
    row: int | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class MeOut(Schema):
    username: str
    role: str | None
    token: str | None
    read_only: bool
