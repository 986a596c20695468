"""Top-level URLs: auth, admin, and each app's pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("api.urls", "api"), namespace="api")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.ledger.urls")),
    path("", include("scoring.urls")),
    path("", include("planning.urls")),
]

handler403 = "kamapp.views.permission_denied"
handler404 = "kamapp.views.page_not_found"
handler500 = "kamapp.views.server_error"
