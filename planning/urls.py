from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("planning/coverage/", views.coverage_settings, name="coverage_settings"),
    path("planning/resources/", views.resources, name="resources"),
    path(
        "planning/accounts/<int:customer_pk>/coverage/",
        views.account_coverage,
        name="account_coverage",
    ),
]
