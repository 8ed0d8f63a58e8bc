from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.ask, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
]
