from django.urls import path

from xieshang.portal import views

urlpatterns = [
    path("", views.site_index, name="portal-index"),
    path("<slug:code>/", views.home, name="portal-home"),
    path("<slug:code>/feed/", views.NewsFeed(), name="portal-feed"),
    path("<slug:code>/search/", views.site_search, name="portal-search"),
    path("<slug:code>/participation/", views.take_part, name="portal-participation"),
    path("<slug:code>/participation/<int:pk>/", views.room, name="portal-room"),
    path("<slug:code>/a/<int:pk>/", views.article, name="portal-article"),
    path("<slug:code>/a/<int:pk>/reading/", views.article_reading, name="portal-reading"),
    path("<slug:code>/a/<int:pk>/file/", views.attachment, name="portal-attachment"),
    path("<slug:code>/img/<int:pk>/", views.image, name="portal-image"),
    path("<slug:code>/<slug:slug>/", views.column, name="portal-column"),
]
