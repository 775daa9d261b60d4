from django.urls import path

from xieshang.search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("dictionary/", views.dictionary_page, name="search-dictionary"),
    path("dictionary/<int:pk>/remove/", views.dictionary_remove, name="search-dictionary-remove"),
]
