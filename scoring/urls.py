from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.round_index, name="round_index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/factors/", views.factor_set, name="factor_set"),
    path(
        "rounds/<int:pk>/factors/<str:axis>/sum/", views.factor_weight_sum, name="factor_weight_sum"
    ),
    path("rounds/<int:pk>/grid/", views.rating_grid, name="rating_grid"),
    path("rounds/<int:pk>/ratings/", views.rating_save, name="rating_save"),
    path("rounds/<int:pk>/accounts/<int:customer_id>/", views.round_account, name="round_account"),
    path("rounds/<int:pk>/export.csv", views.round_export_csv, name="round_export_csv"),
]
