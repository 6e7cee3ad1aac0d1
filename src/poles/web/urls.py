"""Pages."""

from django.urls import path

from poles.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
