"""Browser URLs of the tasks app (the task page itself, with its reports, is in reports.urls)."""

from django.urls import path

from .views import listing

app_name = "tasks"

urlpatterns = [
    path("", listing.task_list, name="list"),
]
