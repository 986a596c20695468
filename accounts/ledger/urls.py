from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("imports/", views.import_index, name="import_index"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("imports/<int:pk>/delete/", views.import_delete, name="import_delete"),
]
