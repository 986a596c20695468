from django.urls import path

from . import views
from .views import contacts, whitespace

app_name = "planning"

urlpatterns = [
    path("planning/my-accounts/", views.my_account_index, name="my_account_index"),
    path("planning/conflicts/", views.conflict_index, name="conflict_index"),
    path("planning/plans/", views.plan_index, name="plan_index"),
    path("planning/plans/print/<int:year>/", views.plan_print, name="plan_print"),
    path("planning/plans/<int:customer_id>/<int:year>/", views.plan, name="plan"),
    path(
        "planning/plans/<int:customer_id>/<int:year>/start/",
        views.plan_start_view,
        name="plan_start",
    ),
    path("planning/plan/<int:pk>/texts/", views.plan_texts, name="plan_texts"),
    path("planning/plan/<int:pk>/objectives/", views.objective_add, name="objective_add"),
    path("planning/plan/<int:pk>/export/", views.plan_export, name="plan_export"),
    path("planning/objectives/<int:pk>/", views.objective_edit, name="objective_edit"),
    path(
        "planning/objectives/<int:pk>/delete/",
        views.objective_delete_view,
        name="objective_delete",
    ),
    path(
        "planning/objectives/<int:pk>/values/",
        views.objective_value_add,
        name="objective_value_add",
    ),
    path("planning/objectives/<int:pk>/actions/", views.action_add, name="action_add"),
    path("planning/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("planning/accounts/<int:customer_id>/", contacts.account, name="account"),
    path(
        "planning/accounts/<int:customer_id>/contacts/new/",
        contacts.contact_new,
        name="contact_new",
    ),
    path(
        "planning/accounts/<int:customer_id>/log/",
        contacts.contact_log_new,
        name="contact_log_new",
    ),
    path("planning/contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path(
        "planning/contacts/<int:pk>/deactivate/",
        contacts.contact_deactivate_view,
        name="contact_deactivate",
    ),
    path("whitespace/", whitespace.whitespace_matrix, name="whitespace"),
    path("whitespace/accounts/<int:pk>/", whitespace.whitespace_account, name="whitespace_account"),
    path("product-groups/", whitespace.product_groups, name="product_groups"),
    path("planning/coverage/", views.coverage_settings, name="coverage_settings"),
    path("planning/resources/", views.resources, name="resources"),
    path(
        "planning/accounts/<int:customer_pk>/coverage/",
        views.account_coverage,
        name="account_coverage",
    ),
    path("planning/nps/", views.nps_index, name="nps_index"),
    path("planning/nps/account/<int:pk>/", views.nps_account, name="nps_account"),
    path("planning/nps/import/", views.nps_import, name="nps_import"),
    path("planning/nps/import/<int:pk>/", views.nps_import_mapping, name="nps_import_mapping"),
    path("planning/nps/import/<int:pk>/report/", views.nps_import_detail, name="nps_import_detail"),
    path(
        "planning/nps/import/<int:pk>/errors.csv", views.nps_import_errors, name="nps_import_errors"
    ),
]
