from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("customers/", views.customer_index, name="customer_index"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
]
