from django.urls import path

from .views import contacts

app_name = "planning"

urlpatterns = [
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
]
