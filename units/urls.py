from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_read, name="notification_read"),
    path("email/", views.email_preferences, name="email_preferences"),
]
