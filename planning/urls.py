from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("planning/nps/", views.nps_index, name="nps_index"),
    path("planning/nps/account/<int:pk>/", views.nps_account, name="nps_account"),
    path("planning/nps/import/", views.nps_import, name="nps_import"),
    path("planning/nps/import/<int:pk>/", views.nps_import_mapping, name="nps_import_mapping"),
    path("planning/nps/import/<int:pk>/report/", views.nps_import_detail, name="nps_import_detail"),
    path(
        "planning/nps/import/<int:pk>/errors.csv", views.nps_import_errors, name="nps_import_errors"
    ),
]
