"""The survey's pages: the programme's status tables, and each cluster's report in its workspace."""

from django.urls import path

from poles.survey import views

urlpatterns = [
    path("programme/surveys/", views.survey_index, name="survey_index"),
    path("programme/surveys/open/", views.survey_open, name="survey_open"),
    path("programme/surveys/<int:year>/", views.survey_status, name="survey_status"),
    path("programme/surveys/<int:year>/export/<str:kind>/", views.survey_export, name="survey_export"),
    path("programme/surveys/<int:year>/remind/", views.survey_remind, name="survey_remind"),
    path("workspace/<slug:slug>/survey/", views.workspace_survey, name="workspace_survey"),
    path("workspace/<slug:slug>/survey/<int:year>/", views.workspace_report, name="workspace_report"),
    path("workspace/<slug:slug>/survey/<int:year>/action/", views.workspace_report_action,
         name="workspace_report_action"),
    path("workspace/<slug:slug>/survey/<int:year>/evidence/", views.workspace_report_evidence,
         name="workspace_report_evidence"),
    path("workspace/<slug:slug>/survey/<int:year>/evidence/<int:pk>/", views.workspace_report_evidence_file,
         name="workspace_report_evidence_file"),
    path("workspace/<slug:slug>/survey/<int:year>/evidence/<int:pk>/remove/", views.workspace_report_evidence_remove,
         name="workspace_report_evidence_remove"),
]
