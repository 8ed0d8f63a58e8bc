from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from config import api_errors
from config import views as config_views
from tasks.urls import page_urlpatterns as task_page_urls
from units.urls import unit_urlpatterns

admin.site.site_header = _("Programme Tracker administration")
admin.site.site_title = _("Programme Tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("reports.urls")),
    path("tasks/", include("tasks.urls")),
    path("tasks/", include(task_page_urls)),
    path("indicators/", include("indicators.urls")),
    path("accountability/", include("accountability.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's own password views (they are login_required where they need to be) under the
    # standard names of django.contrib.auth.urls, without its login/logout routes.
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("units.urls")),
    path("units/", include(unit_urlpatterns)),
    # The public progress page, at its English and its Vietnamese address alike.
    path("public/", include("public.urls")),
    path("cong-khai/", include(("public.urls", "public"), namespace="cong_khai")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", TemplateView.as_view(template_name="api/docs.html"), name="api-docs"),
    re_path(r"^api/", api_errors.not_found),  # after every API route: JSON, never HTML
    path("healthz", config_views.healthz, name="healthz"),
]

handler500 = "config.views.server_error"

# Uploaded files are never served directly, not even in development: evidence goes through
# reports.views.evidence_download, which checks who may read it.

# Under /api/ every error answers JSON (config/api_errors.py); elsewhere the HTML pages. The
# 500 handler (above) does both, and answers 503 when the database is what failed.
handler400 = "config.api_errors.handler400"
handler403 = "config.api_errors.handler403"
handler404 = "config.api_errors.handler404"
