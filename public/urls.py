from django.urls import path

from . import feeds, views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("data/", views.data_page, name="data"),
    path("schema/period.json", views.schema, name="schema"),
    path("feed.atom", feeds.IssuedReportsFeed(), name="feed"),
    path("<id:resolution_id>/", views.resolution_latest, name="resolution"),
    path("<id:resolution_id>/<period:key>/", views.period_page, name="period"),
    path("<id:resolution_id>/<period:key>.json", views.period_json, name="period_json"),
    path("<id:resolution_id>/<period:key>.csv", views.period_csv, name="period_csv"),
]
