"""The error summary of a refused form: every problem once, linked to its field, named by the
row it is on in a formset; nothing at all for a form that is fine or not yet sent."""

from django import forms
from django.template import Context, Template

from reports.forms import OutputProgressFormSet


class Sample(forms.Form):
    number = forms.IntegerField(label="Số", max_value=100)
    note = forms.CharField(label="Ghi chú", required=False)

    def clean(self):
        raise forms.ValidationError("Cả biểu mẫu có vấn đề.")


def render(*forms_):
    return Template("{% load form_errors %}{% error_summary a b %}").render(
        Context({"a": forms_[0], "b": forms_[1] if len(forms_) > 1 else None}))


def test_a_refused_form_lists_each_problem_linked_to_its_field():
    html = render(Sample({"number": "150"}))
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in html
    assert "<li>Cả biểu mẫu có vấn đề.</li>" in html
    assert '<a href="#id_number">Số: ' in html
    assert html.count("<li>") == 2


def test_a_formset_row_is_named_by_what_it_edits():
    rows = OutputProgressFormSet({
        "outputs-TOTAL_FORMS": "1", "outputs-INITIAL_FORMS": "1",
        "outputs-0-output_id": "7", "outputs-0-status": "issued",
    }, prefix="outputs")
    assert not rows.is_valid()
    rows.forms[0].output = "Thông tư hướng dẫn"
    html = render(Sample({"number": "5"}), rows)
    assert '<a href="#id_outputs-0-issued_on">Thông tư hướng dẫn · ngày ban hành: ' in html


def test_nothing_for_a_form_not_sent_or_without_errors():
    assert render(Sample()).strip() == ""
    assert render(forms.Form({})).strip() == ""
