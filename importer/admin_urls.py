from django.urls import path

from importer import views

app_name = "importer"
urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.RunView.as_view(), name="run"),
    path("<int:pk>/report.csv", views.ReportCsvView.as_view(), name="report_csv"),
]
