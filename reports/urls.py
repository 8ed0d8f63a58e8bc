from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/reports/<int:unit_id>/<int:year>-<int:month>/", views.report_page,
         name="report"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("outputs/<int:pk>/file/", views.output_file_download, name="output_file"),
    path("output-progress/<int:pk>/file/", views.output_progress_file_download,
         name="output_progress_file"),
]
