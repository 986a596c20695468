from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("customers/", views.customer_index, name="customer_index"),
    path("customers/export/", views.customer_export, name="customer_export"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("pareto/", views.pareto, name="pareto"),
    path("metrics/recompute/", views.metrics_recompute_start, name="metrics_recompute_start"),
    path("language/", views.language_set, name="language_set"),
    path("metrics/status/", views.metrics_run_status, name="metrics_run_status"),
]
