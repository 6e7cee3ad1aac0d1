"""Pages of the calls for programme officers and reviewers, each named for the permission matrix."""

from django.urls import path

from poles.calls.views import officer, reviewer

urlpatterns = [
    path("manage/calls/", officer.index, name="calls_officer_index"),
    path("manage/calls/workflow/", officer.workflow_page, name="calls_workflow"),
    path("manage/calls/<int:pk>/", officer.setup_page, name="calls_officer_setup"),
    path("manage/calls/<int:pk>/rounds/", officer.rounds, name="calls_officer_rounds"),
    path("manage/calls/<int:pk>/publish/", officer.publish, name="calls_officer_publish"),
    path("manage/calls/<int:pk>/files/", officer.files, name="calls_officer_files"),
    path("manage/calls/<int:pk>/assignments/", officer.assignments, name="calls_officer_assignments"),
    path("manage/calls/<int:pk>/panel/", officer.panel, name="calls_officer_panel"),
    path("manage/calls/<int:pk>/selection/", officer.selection, name="calls_officer_selection"),
    path("manage/calls/<int:pk>/export/<slug:kind>/", officer.export, name="calls_officer_export"),
    path("manage/calls/files/<int:pk>/", officer.file_page, name="calls_officer_file"),
    path("manage/calls/files/<int:pk>/agreement/", officer.agreement, name="calls_officer_agreement"),
    path("me/reviews/profile/", reviewer.profile, name="calls_reviewer_profile"),
    path("me/reviews/<int:pk>/", reviewer.review_page, name="calls_reviewer_review"),
]
