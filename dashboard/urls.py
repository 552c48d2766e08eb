from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("todo/", views.todo, name="todo"),
    path("board/", views.board, name="board"),
]
