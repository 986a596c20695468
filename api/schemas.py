"""Request and response shapes of the API (pydantic, through django-ninja)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import BaseModel


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


class PageOut(Schema):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next: str | None = Field(description="The next page's URL; null on the last page.")


class Row(BaseModel):
    """A shape validated from plain dicts only, in pydantic's core: a ninja `Schema` wraps
    every value it validates in a Python attribute getter (for model instances), which cost
    most of a customer page's time. The OpenAPI description is the same."""


class CustomerMetricsOut(Row):
    revenue: Decimal
    margin: Decimal | None
    value: Decimal = Field(description="The measure tiers are computed from.")
    share: float
    cumulative_share: float
    rank: int
    invoices: int
    months_active: int
    first_purchase: dt.date | None
    last_purchase: dt.date | None
    growth: float | None
    avg_monthly_revenue: Decimal
    avg_days_late: float | None


class SignalsOut(Row):
    large_buyer: bool
    pareto_top: bool
    loyal: bool
    targeted: bool = Field(description="Targeted by a competitor (set by a sales manager).")
    late_payer: bool


class CustomerOut(Row):
    id: int
    code: str
    name: str
    segment: str | None
    owner: str | None = Field(description="The account owner's username.")
    tier: str | None
    stage: str | None
    metrics: CustomerMetricsOut | None
    signals: SignalsOut
    box: str | None = Field(
        description="The box of its decision in the latest decided round (key, "
        "key_development, maintenance, opportunistic); null before any round is decided."
    )
    updated_at: dt.datetime


class CustomerPageOut(PageOut):
    items: list[CustomerOut]


class TierOut(Schema):
    run: int
    computed_at: dt.datetime | None
    tier: str
    value: Decimal


class TierPageOut(PageOut):
    items: list[TierOut]


class FactorOut(Schema):
    id: int
    axis: str
    name: str
    weight: Decimal
    consideration: str
    derived_from: str | None


class RoundOut(Schema):
    id: int
    name: str
    date: dt.date
    stage: str
    attractiveness_cutoff: Decimal
    strength_cutoff: Decimal
    ratings_revealed: bool
    factors: list[FactorOut]


class RoundPageOut(PageOut):
    items: list[RoundOut]


class CellOut(Schema):
    factor: int
    name: str
    value: float | None


class CompetitorCellsOut(Schema):
    competitor: str
    ratings: list[CellOut]


class MatrixRatingsOut(Schema):
    attractiveness: list[CellOut]
    strength: list[CellOut] = Field(description="Our own strength, factor by factor.")
    competitors: list[CompetitorCellsOut]


class MatrixRowOut(Schema):
    customer: str
    customer_id: int
    name: str
    attractiveness: float | None
    relative_strength: float | None
    our_strength: float | None
    best_competitor_strength: float | None
    best_competitor: str | None
    no_competitor_view: bool
    box: str | None = Field(description="key, key_development, maintenance, opportunistic.")
    box_label: str | None
    missing: list[str]
    ratings: MatrixRatingsOut = Field(
        description="The cells the caller may see: only their own while scoring is blind."
    )


class MatrixPageOut(PageOut):
    round: int
    stage: str
    items: list[MatrixRowOut]


class DecisionOut(Schema):
    id: int
    round: int
    customer: str
    choice: str
    coverage: str
    rationale: str
    box_at_decision: str
    decided_by: str | None
    decided_at: dt.datetime


class DecisionPageOut(PageOut):
    items: list[DecisionOut]


class ProgressOut(Schema):
    stage: str
    percent: int


class LedgerReportOut(Schema):
    rows_read: int
    lines_imported: int
    lines_already_there: int
    rows_with_errors: int
    rows_without_customer: int
    customers_created: int
    errors: int


class LedgerRowErrorOut(Schema):
    row: int
    column: str
    value: str
    code: str | None = None
    message: str


class LedgerImportOut(Schema):
    id: int
    url: str
    errors_url: str
    file_name: str
    status: str = Field(description="uploaded, queued, running, done, rejected or failed.")
    finished: bool
    stage: str | None
    progress: ProgressOut
    message: str
    resent: bool = Field(description="The same file was imported before: it added nothing.")
    resent_message: str | None
    report: LedgerReportOut
    first_errors: list[LedgerRowErrorOut]


class LedgerErrorPageOut(Schema):
    total: int
    offset: int
    items: list[LedgerRowErrorOut]


class SurveyReportOut(Schema):
    rows_read: int
    answers_imported: int
    answers_already_stored: int = Field(
        description="Answers of the same account, respondent and date stored before."
    )
    rows_with_errors: int
    errors: int


class SurveyImportOut(Schema):
    id: int
    url: str
    errors_url: str
    file_name: str
    status: str = Field(description="done, rejected (rows with errors: nothing stored) or failed.")
    finished: bool
    progress: ProgressOut
    message: str
    resent: bool = Field(description="The same file was imported before: it added nothing.")
    resent_message: str | None
    report: SurveyReportOut
    first_errors: list[LedgerRowErrorOut]
