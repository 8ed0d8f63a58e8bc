"""The register's items raise the dashboard's data version (0007) as every table the dashboard
reads does (its first screen counts the open items), and the reports approved before the
register existed get their items: one per point (line) of their difficulties and proposals,
received when the report was approved, addressed to no one yet (the secretariat routes them).
The backfill notifies no one (years of old items would flood the inboxes) and its rows carry
no audit entry but this migration's; the reverse removes only the items nobody has touched."""

import re

from django.db import migrations

MARKER = re.compile(r"^\s*(?:[-+•*–]|\(?(?:\d{1,2}|[a-zđ])[.)])\s+", re.IGNORECASE)

CREATE = """
CREATE TRIGGER dashboard_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON reports_proposal FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_data_version();
"""
DROP = "DROP TRIGGER IF EXISTS dashboard_data_version ON reports_proposal;"


def _points(text):
    # A copy of reports.proposals.split.split_points, as it stood when this migration was made.
    return [point for point in (MARKER.sub("", line).strip()
                                for line in (text or "").splitlines()) if point]


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)
    ProgressReport = apps.get_model("reports", "ProgressReport")
    Proposal = apps.get_model("reports", "Proposal")
    done = set(Proposal.objects.values_list("report_id", flat=True))
    rows = []
    for report in (ProgressReport.objects.filter(state="approved").exclude(pk__in=done)
                   .only("pk", "difficulties", "proposals", "decided_at").iterator()):
        for kind, text in (("difficulty", report.difficulties), ("proposal", report.proposals)):
            for position, point in enumerate(_points(text), start=1):
                rows.append(Proposal(report_id=report.pk, kind=kind, position=position,
                                     text=point, received_at=report.decided_at))
    Proposal.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    apps.get_model("reports", "Proposal").objects.filter(version=1, state="received").delete()
    _run(schema_editor, DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0016_proposals"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
