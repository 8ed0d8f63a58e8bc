"""The settings of the OpenAPI schema (drf-spectacular), imported by base.py."""

from django.utils.translation import gettext_lazy as _

SPECTACULAR_SETTINGS = {
    "TITLE": "Programme Tracker API",
    "DESCRIPTION": _(
        "Resolutions, task groups, tasks, outputs, units, reporting periods, monthly progress "
        "reports and the headline status counts. Authenticate with `Authorization: Bearer "
        "<token>`. Every error has the shape `{\"error\": {\"code\", \"message\", "
        "\"fields\"}}`; messages follow Accept-Language (Vietnamese by default, or English). "
        "See README.md, section API."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # A PATCH states its required fields (a report's version) like any other write.
    "COMPONENT_SPLIT_PATCH": False,
    # Operations are tagged and named by resource ("tasks", "tasks_list").
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "StatusClassEnum": "tasks.rules.StatusClass",
        "ReportStateEnum": "reports.models.ProgressReport.State",
        "ProgressStatusEnum": "reports.models.ProgressReport.ProgressStatus",
        "OutputProgressStatusEnum": "reports.models.OutputProgress.Status",
        "OutputKindEnum": "tasks.models.Output.Kind",
        "UnitKindEnum": "units.models.Unit.Kind",
        "ResolutionKindEnum": "tasks.models.Resolution.Kind",
        "AuthorityEnum": "tasks.models.Authority",
        "DeadlineKindEnum": "tasks.deadlines.DeadlineKind",
        "ExplanationKindEnum": "accountability.models.ExplanationRequest.Kind",
        "ExplanationStateEnum": "accountability.models.ExplanationRequest.State",
        "ProposalAuthorityEnum": "reports.models.proposals.Proposal.Authority",
        "ProposalStateEnum": "reports.models.proposals.Proposal.State",
        "ProposalKindEnum": "reports.models.proposals.Proposal.Kind",
        "AddresseeKindEnum": "reports.models.proposals.Proposal.AddresseeKind",
    },
    # Path ids (core.ids.IdConverter): 1 to the largest value of DEFAULT_AUTO_FIELD's column.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
