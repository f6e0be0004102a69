from django.urls import path

from huji.materials import views

app_name = "materials"

urlpatterns = [
    path("<uuid:public_id>/", views.file_view, name="file"),
    path("<uuid:public_id>/thumb/", views.thumbnail_view, name="thumbnail"),
    path("<uuid:public_id>/pages/<int:number>/", views.page_view, name="page"),
]
