from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("planning/conflicts/", views.conflict_index, name="conflict_index"),
]
