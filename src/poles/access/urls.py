"""Account URLs under /accounts/: password reset by e-mail and invitation acceptance."""

from django.urls import path

from poles.access import views

app_name = "accounts"

urlpatterns = [
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(),
         name="invitation-accept"),
]
