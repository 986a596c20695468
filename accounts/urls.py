from django.urls import path

from . import views
from .ledger import views as ledger_views

urlpatterns = [
    path("customers/", views.customer_index, name="customer_index"),
    path("customers/export/", views.customer_export, name="customer_export"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("imports/", ledger_views.import_index, name="import_index"),
    path("imports/<int:pk>/", ledger_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", ledger_views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/progress/", ledger_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", ledger_views.import_errors, name="import_errors"),
    path("imports/<int:pk>/retry/", ledger_views.import_retry, name="import_retry"),
    path("pareto/", views.pareto, name="pareto"),
    path("metrics/recompute/", views.metrics_recompute_start, name="metrics_recompute_start"),
    path("language/", views.language_set, name="language_set"),
    path("metrics/status/", views.metrics_run_status, name="metrics_run_status"),
]
