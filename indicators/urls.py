from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create_view, name="create"),
    path("import/", views.import_upload, name="import"),
    path("import/<id:pk>/template.xlsx", views.import_template_download,
         name="import_template"),
    path("imports/<id:pk>/", views.import_job, name="import_job"),
    path("imports/<id:pk>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("<id:pk>/", views.indicator_detail, name="detail"),
    path("<id:pk>/edit/", views.indicator_edit, name="edit"),
    path("<id:pk>/targets/", views.target_add, name="target_add"),
    path("targets/<id:pk>/remove/", views.target_remove, name="target_remove"),
    path("<id:pk>/values/new/", views.value_new, name="value_new"),
    path("values/<id:pk>/", views.value_page, name="value"),
]
