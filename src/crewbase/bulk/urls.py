from django.urls import path

from crewbase.bulk import views

urlpatterns = [
    path("bulk/", views.jobs, name="bulk_jobs"),
    path("bulk/preview/", views.preview, name="bulk_preview"),
    path("bulk/run/", views.run, name="bulk_run"),
    path("bulk/<int:job_id>/", views.job_page, name="bulk_job"),
    path("bulk/<int:job_id>/report.csv", views.job_report, name="bulk_job_report"),
    path("bulk/import/", views.import_upload, name="bulk_import"),
    path("bulk/import/<int:import_id>/", views.import_review, name="bulk_import_review"),
    path("bulk/import/<int:import_id>/send/", views.import_send, name="bulk_import_send"),
]
