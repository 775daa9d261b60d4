from django.contrib.auth import views as auth_views
from django.urls import include, path

from xieshang.core import pwa, refdata_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("login/", views.XieshangLoginView.as_view(), name="login"),
    path("login/sms/", views.sms_login, name="login-sms"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("account/second-factor/", views.mfa_setup, name="mfa-setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout-everywhere"),
    path("password/", views.XieshangPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("committee/switch/", views.switch_committee, name="switch-committee"),
    path("account/api-tokens/", include("xieshang.core.token_urls")),
    path("manage/", include("xieshang.core.admin_urls")),
    path("reference/", refdata_views.index, name="refdata-index"),
    path("reference/<slug:slug>/", refdata_views.kind_list, name="refdata-list"),
    path("reference/<slug:slug>/new/", refdata_views.kind_edit, name="refdata-create"),
    path("reference/<slug:slug>/<int:pk>/", refdata_views.kind_edit, name="refdata-edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notification_read_all, name="notifications-read-all"),
]
