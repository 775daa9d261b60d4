from django.urls import path

from xieshang.clues import views

app_name = "clues"

urlpatterns = [
    path("", views.clue_list, name="list"),
    path("new/", views.clue_new, name="new"),
    path("<int:pk>/", views.clue_detail, name="detail"),
    path("<int:pk>/merge/", views.clue_merge, name="merge"),
    path("<int:pk>/adopt/", views.clue_adopt, name="adopt"),
    path("<int:pk>/act/<str:action>/", views.clue_act, name="act"),
    path("public/<slug:code>/", views.public_form, name="public"),
]
