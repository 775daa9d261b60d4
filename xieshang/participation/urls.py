from django.urls import path

from xieshang.participation import views

app_name = "participation"

urlpatterns = [
    path("rooms/", views.room_list, name="rooms"),
    path("rooms/new/", views.room_create, name="room-create"),
    path("rooms/<int:pk>/", views.room_detail, name="room"),
    path("rooms/<int:pk>/act/<str:action>/", views.room_act, name="room-act"),
    path("rooms/<int:pk>/summary/", views.room_summary, name="room-summary"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post-hide"),
    path("posts/<int:pk>/file/", views.post_file, name="post-file"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/act/<str:action>/", views.survey_act, name="survey-act"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey-results"),
    path("surveys/<int:pk>/export.xlsx", views.survey_export, name="survey-export"),
    path("s/<int:pk>/", views.public_survey, name="public-survey"),
    path("studios/", views.studio_list, name="studios"),
    path("studios/new/", views.studio_create, name="studio-create"),
    path("studios/<int:pk>/", views.studio_detail, name="studio"),
    path("problems/<int:pk>/to-proposal/", views.problem_to_proposal,
         name="problem-to-proposal"),
    path("problems/<int:pk>/to-report/", views.problem_to_report, name="problem-to-report"),
    path("problems/<int:pk>/<str:action>/", views.problem_action, name="problem-action"),
]
