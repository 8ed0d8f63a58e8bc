"""Browser URLs of the tasks app, under /tasks/."""

from django.urls import path

from .views import coverage, detail, exchange, listing, manage

app_name = "tasks"

urlpatterns = [
    path("", listing.task_list, name="list"),
    path("coverage/", coverage.coverage, name="coverage"),
    # Managing programmes (the programme secretariat).
    path("resolutions/", manage.resolution_list, name="resolutions"),
    path("resolutions/new/", manage.resolution_edit, name="resolution_new"),
    path("resolutions/<id:pk>/", manage.resolution_detail, name="resolution"),
    path("resolutions/<id:pk>/edit/", manage.resolution_edit, name="resolution_edit"),
    path("resolutions/<id:resolution_pk>/groups/new/", manage.group_edit, name="group_new"),
    path("groups/<id:pk>/edit/", manage.group_edit, name="group_edit"),
    path("resolutions/<id:resolution_pk>/tasks/new/", manage.task_edit, name="task_new"),
    path("<id:pk>/edit/", manage.task_edit, name="task_edit"),
    path("<id:pk>/deadline/", manage.task_deadline, name="task_deadline"),
    # Importing a task list.
    path("resolutions/<id:pk>/import/", exchange.import_upload, name="import"),
    path("resolutions/<id:pk>/import/template.xlsx", exchange.import_template_download,
         name="import_template"),
    path("imports/<id:pk>/", exchange.import_job, name="import_job"),
    path("imports/<id:pk>/confirm/", exchange.import_confirm_view, name="import_confirm"),
    path("imports/<id:pk>/units/", exchange.import_resolve_unit, name="import_resolve_unit"),
    # Exporting, and files prepared in the background.
    path("export/", exchange.task_export, name="export"),
    path("files/<id:pk>/", exchange.file_job, name="file_job"),
    path("files/<id:pk>/progress/", exchange.file_job_progress, name="file_job_progress"),
    path("files/<id:pk>/download/", exchange.file_job_download, name="file_job_download"),
]

#: The task page, outside the namespace: every template links it as {% url 'task_detail' %}
#: (config.urls includes it under /tasks/ beside the namespaced routes above).
page_urlpatterns = [
    path("<id:task_id>/", detail.task_detail, name="task_detail"),
]
