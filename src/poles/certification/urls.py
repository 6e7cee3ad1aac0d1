from django.urls import path

from poles.certification import views

urlpatterns = [
    path("", views.home, name="certification_home"),
    path("campaigns/<int:pk>/", views.campaign, name="certification_campaign"),
    path("campaigns/<int:pk>/action/", views.campaign_action, name="certification_campaign_action"),
    path("campaigns/<int:pk>/consolidation/", views.consolidation, name="certification_consolidation"),
    path("applications/<int:pk>/", views.candidacy, name="certification_candidacy"),
    path("campaigns/<int:pk>/export/<str:kind>/", views.campaign_export, name="certification_export"),
    path("applications/<int:pk>/files/", views.candidacy_file_add, name="certification_file_add"),
    path("applications/<int:pk>/files/<int:file_pk>/", views.candidacy_file, name="certification_file"),
    path("applications/<int:pk>/files/<int:file_pk>/remove/", views.candidacy_file_remove,
         name="certification_file_remove"),
    path("applications/<int:pk>/submit/", views.candidacy_submit, name="certification_candidacy_submit"),
    path("applications/<int:pk>/assign/", views.assign, name="certification_assign"),
    path("applications/<int:pk>/decision/", views.decide, name="certification_decide"),
    path("evaluations/<int:pk>/", views.evaluate, name="certification_evaluate"),
]
