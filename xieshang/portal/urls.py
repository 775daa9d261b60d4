from django.urls import path

from xieshang.portal import views

urlpatterns = [
    path("", views.manage, name="portal-manage"),
    path("new/", views.edit, name="portal-new"),
    path("<int:pk>/", views.edit, name="portal-edit"),
    path("<int:pk>/act/<str:action>/", views.act, name="portal-act"),
    path("images/", views.image_upload, name="portal-image-upload"),
    path("settings/", views.site_settings, name="portal-settings"),
]
