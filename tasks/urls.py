"""Browser URLs of the tasks app (the task page itself, with its reports, is in reports.urls)."""

app_name = "tasks"

urlpatterns: list = []
