from django.urls import path

from .views import whitespace

app_name = "planning"

urlpatterns = [
    path("whitespace/", whitespace.whitespace_matrix, name="whitespace"),
    path("whitespace/accounts/<int:pk>/", whitespace.whitespace_account, name="whitespace_account"),
    path("product-groups/", whitespace.product_groups, name="product_groups"),
]
