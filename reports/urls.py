from django.urls import path

from . import views
from .proposals import views as proposals

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<id:task_id>/reports/<id:unit_id>/<int:year>-<month:month>/", views.report_page,
         name="report"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<id:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("outputs/<id:pk>/file/", views.output_file_download, name="output_file"),
    path("output-progress/<id:pk>/file/", views.output_progress_file_download,
         name="output_progress_file"),
]

urlpatterns += [
    path("monthly-reports/", views.monthly_report_list, name="monthly_reports"),
    path("monthly-reports/<int:year>-<month:month>/preview.pdf",
         views.monthly_report_preview_view, name="monthly_report_preview"),
    path("monthly-reports/<int:year>-<month:month>/prepare/", views.monthly_report_prepare,
         name="monthly_report_prepare"),
    path("monthly-reports/<int:year>-<month:month>/progress/", views.monthly_report_progress,
         name="monthly_report_progress"),
    path("monthly-reports/<int:year>-<month:month>/draft.pdf",
         views.monthly_report_draft_download, name="monthly_report_draft"),
    path("monthly-reports/<int:year>-<month:month>/issue/", views.monthly_report_issue_view,
         name="monthly_report_issue"),
    path("monthly-reports/issued/<id:pk>.pdf", views.issued_report_download,
         name="issued_report"),
    path("monthly-reports/issued/<id:pk>.en.pdf", views.issued_report_download,
         {"language": "en"}, name="issued_report_en"),
    path("reports/<int:year>-<month:month>/export/", views.period_reports_export_view,
         name="period_reports_export"),
]

urlpatterns += [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/groups/", views.dashboard_groups, name="dashboard_groups"),
    path("dashboard/units/", views.dashboard_units, name="dashboard_units"),
    path("dashboard/deadlines/", views.dashboard_deadlines, name="dashboard_deadlines"),
    path("dashboard/timeline/", views.dashboard_timeline, name="dashboard_timeline"),
    path("dashboard/compliance/", views.dashboard_compliance, name="dashboard_compliance"),
    path("dashboard/clarity/", views.dashboard_clarity, name="dashboard_clarity"),
    path("dashboard/indicators/", views.dashboard_indicators_view, name="dashboard_indicators"),
    path("dashboard/at-risk/", views.at_risk_list, name="dashboard_at_risk"),
    path("dashboard/reports/", views.reports_list, name="dashboard_reports"),
]

urlpatterns += [
    path("proposals/", proposals.proposal_register, name="proposal_register"),
    path("proposals/inbox/", proposals.proposal_inbox_view, name="proposal_inbox"),
    path("proposals/<id:pk>/", proposals.proposal_page, name="proposal"),
    path("proposals/<id:pk>/file/", proposals.proposal_file, name="proposal_file"),
]
