from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("planning/my-accounts/", views.my_account_index, name="my_account_index"),
    path("planning/conflicts/", views.conflict_index, name="conflict_index"),
]
