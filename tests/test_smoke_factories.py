from tests.factories import ProgressReportFactory


def test_a_report_builds_with_its_task_unit_and_period(db):
    report = ProgressReportFactory()
    assert report.unit == report.task.lead_unit
    assert report.task.outputs.count() == 1
    assert report.task.resolution == report.task.group.resolution
