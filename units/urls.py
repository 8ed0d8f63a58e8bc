from django.urls import path

from . import views
from .views import lifecycle

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_read, name="notification_read"),
    path("email/", views.email_preferences, name="email_preferences"),
]

#: The secretariat's pages of units and their life, under /units/.
unit_urlpatterns = [
    path("", lifecycle.unit_list, name="unit_list"),
    path("<id:pk>/", lifecycle.unit_detail, name="unit_detail"),
    path("<id:pk>/change/", lifecycle.unit_change, name="unit_change"),
]
