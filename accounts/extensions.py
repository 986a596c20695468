"""Where other apps add to the customer pages without accounts knowing them: extra columns of
the customer list and extra panels of the customer page, registered in the other app's
`AppConfig.ready()`.

Each extension reads its values for all the customers a page shows at once (one query for
the page, whatever its length) and names the template that draws one value.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CustomerExtension:
    """`values(customers=..., user=...)` gives {customer id: value} for the page's customers
    (absent: nothing to show); `template` draws one, given `customer` and `value`."""

    key: str
    label: Any  # a lazy translation, rendered in the reader's language
    template: str
    values: Callable[..., dict[int, Any]]


@dataclass(frozen=True)
class ExtensionCell:
    extension: CustomerExtension
    value: Any


_COLUMNS: dict[str, CustomerExtension] = {}
_PANELS: dict[str, CustomerExtension] = {}


def customer_column_register(extension: CustomerExtension) -> None:
    """Add a column to the customer list (again under the same key: replaced)."""
    _COLUMNS[extension.key] = extension


def customer_panel_register(extension: CustomerExtension) -> None:
    """Add a panel to the customer page (again under the same key: replaced)."""
    _PANELS[extension.key] = extension


def _cells(registry, customers: list, user) -> list[CustomerExtension]:
    extensions = list(registry.values())
    values = {
        extension.key: extension.values(customers=customers, user=user) for extension in extensions
    }
    for customer in customers:
        customer.extension_cells = [
            ExtensionCell(extension=extension, value=values[extension.key].get(customer.pk))
            for extension in extensions
        ]
    return extensions


def customer_columns_fill(*, customers: Iterable, user) -> list[CustomerExtension]:
    """The registered columns (for the headers); each customer gets `extension_cells`, its
    value for each column in the same order."""
    return _cells(_COLUMNS, list(customers), user)


def customer_panels_fill(*, customer, user) -> list[ExtensionCell]:
    """The customer page's registered panels, each with its value for this customer."""
    _cells(_PANELS, [customer], user)
    return customer.extension_cells
