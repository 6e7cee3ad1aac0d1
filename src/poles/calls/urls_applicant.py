"""Page URLs of the applicant's side of calls and of the clusters' labelling queue (names start with calls_)."""

from django.urls import path

from poles.calls.views import applicant, labelling

urlpatterns = [
    path("calls/<int:pk>/", applicant.call_detail, name="calls_call"),
    path("calls/<int:pk>/apply/", applicant.start, name="calls_start"),
    path("me/applications/", applicant.my_applications, name="calls_my_applications"),
    path("me/notifications/", applicant.notifications, name="calls_notifications"),
    path("me/notifications/<int:pk>/read/", applicant.notification_read, name="calls_notification_read"),
    path("applications/<int:pk>/", applicant.application, name="calls_application"),
    path("applications/<int:pk>/details/", applicant.save_details, name="calls_save_details"),
    path("applications/<int:pk>/eligibility/", applicant.eligibility, name="calls_eligibility"),
    path("applications/<int:pk>/partners/<int:org>/", applicant.partner, name="calls_partner"),
    path("applications/<int:pk>/partners/<int:org>/remove/", applicant.remove_partner, name="calls_remove_partner"),
    path("applications/<int:pk>/invite/", applicant.invite, name="calls_invite"),
    path("applications/<int:pk>/invitations/<int:invitation>/cancel/", applicant.cancel_invitation,
         name="calls_cancel_invitation"),
    path("applications/<int:pk>/submit/", applicant.submit, name="calls_submit"),
    path("applications/<int:pk>/withdraw/", applicant.withdraw, name="calls_withdraw"),
    path("applications/<int:pk>/labels/", applicant.ask_label, name="calls_ask_label"),
    path("applications/<int:pk>/documents/", applicant.upload_document, name="calls_upload_document"),
    path("applications/<int:pk>/documents/<int:doc>/", applicant.document, name="calls_document"),
    path("applications/<int:pk>/versions/<int:number>/", applicant.version, name="calls_version"),
    path("invitations/<str:token>/", applicant.accept, name="calls_invitation_accept"),
    path("workspace/<slug:slug>/labelling/", labelling.queue, name="calls_labelling_queue"),
    path("workspace/<slug:slug>/labelling/<int:pk>/", labelling.decide, name="calls_labelling_decide"),
]
