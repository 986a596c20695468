from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("rounds/", views.round_index, name="round_index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/factors/", views.factor_set, name="factor_set"),
    path(
        "rounds/<int:pk>/factors/<str:axis>/sum/",
        views.factor_weight_sum,
        name="factor_weight_sum",
    ),
    path("rounds/<int:pk>/grid/", views.rating_grid, name="rating_grid"),
    path("rounds/<int:pk>/ratings/", views.rating_save, name="rating_save"),
    path("rounds/<int:pk>/accounts/<int:customer_id>/", views.round_account, name="round_account"),
    path("rounds/<int:pk>/export.csv", views.round_export_csv, name="round_export_csv"),
    # The selection team's work on a round.
    path("rounds/<int:pk>/team/", views.round_team, name="round_team"),
    path("rounds/<int:pk>/team/members/", views.round_member_save, name="round_member_save"),
    path("rounds/<int:pk>/stage/", views.round_stage, name="round_stage"),
    path("rounds/<int:pk>/options/", views.round_foresight_save, name="round_foresight_save"),
    path(
        "rounds/<int:pk>/disagreement/",
        views.round_disagreement_view,
        name="round_disagreement",
    ),
    path("rounds/<int:pk>/consensus/", views.consensus_save, name="consensus_save"),
    path("rounds/<int:pk>/foresight/", views.foresight_save, name="foresight_save"),
    path("rounds/<int:pk>/meeting/", views.round_meeting, name="round_meeting"),
    path(
        "rounds/<int:pk>/decisions/<int:customer_id>/",
        views.decision_save,
        name="decision_save",
    ),
    path("rounds/<int:pk>/decisions/", views.round_decisions_view, name="round_decisions"),
    path(
        "rounds/<int:pk>/sensitivity/",
        views.round_sensitivity_view,
        name="round_sensitivity",
    ),
    path("rounds/<int:pk>/sensitivity/adopt/", views.round_adopt, name="round_adopt"),
    path("rounds/<int:pk>/review/", views.round_review_view, name="round_review"),
    path("rounds/<int:pk>/pack.xlsx", views.round_pack, name="round_pack"),
    path(
        "rounds/<int:pk>/matrix.<str:image_format>",
        views.round_image,
        name="round_image",
    ),
]
