from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.round_index, name="round_index"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
]
