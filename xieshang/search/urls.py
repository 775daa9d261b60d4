from django.urls import path

from xieshang.search import views

urlpatterns = [path("", views.search_page, name="search")]
