"""Indicators (chỉ tiêu) of a resolution, their baselines, milestones and targets, and the values
units report for them, each through the same workflow as a progress report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import localized
from tasks.models import Resolution, Task, TaskGroup
from units.models import Unit


class Direction(models.TextChoices):
    """Which way is better. "At least" and "at most" read like "higher" and "lower" on the
    trajectory; they say the target is a floor or a ceiling rather than a direction of travel."""

    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    AT_LEAST = "at_least", _("At least the target")
    AT_MOST = "at_most", _("At most the target")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Indicator(models.Model):
    """A measurable aim of a resolution (optionally of one of its groups)."""

    resolution = models.ForeignKey(Resolution, verbose_name=_("resolution"),
                                   on_delete=models.PROTECT, related_name="indicators")
    group = models.ForeignKey(TaskGroup, verbose_name=_("task group"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    name_en = models.TextField(_("name in English"), blank=True)
    measure = models.CharField(_("unit of measure"), max_length=40)
    measure_en = models.CharField(_("unit of measure in English"), max_length=40, blank=True)
    direction = models.CharField(_("better when"), max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=3,
                                         null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_source = models.TextField(_("source of the baseline"), blank=True)
    baseline_illustrative = models.BooleanField(_("baseline is illustrative"), default=False)
    frequency = models.CharField(_("measured"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.YEARLY)
    responsible_unit = models.ForeignKey(Unit, verbose_name=_("unit responsible for the figure"),
                                         on_delete=models.PROTECT,
                                         related_name="indicators_responsible")
    breakdown_units = models.ManyToManyField(
        Unit, verbose_name=_("units reporting their own value"), blank=True,
        related_name="indicators_broken_down")
    data_source = models.TextField(_("data source"), blank=True)
    tasks = models.ManyToManyField(Task, verbose_name=_("contributing tasks"), blank=True,
                                   related_name="indicators")
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Demonstration content, not taken from the resolution."))
    note = models.TextField(_("note"), blank=True)
    sort_key = models.CharField(max_length=80, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    #: Incremented on every write, so that a stale edit can be refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(m2m_fields=[tasks, breakdown_units])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["resolution_id", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "code"],
                                    name="indicator_code_unique_in_resolution"),
            models.CheckConstraint(condition=~Q(code=""), name="indicator_code_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_blank"),
            models.CheckConstraint(condition=~Q(measure=""), name="indicator_measure_not_blank"),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_year__isnull=False),
                name="indicator_baseline_has_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def display_measure(self) -> str:
        return localized(self.measure, self.measure_en)


class IndicatorTarget(models.Model):
    """A value the indicator is to reach by the end of a year: a target, or a milestone on the
    way. With a unit, the unit's own (a unit's baseline is one too); without, the national one
    (the national baseline is on the indicator)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        MILESTONE = "milestone", _("Milestone")
        TARGET = "target", _("Target")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="indicator_targets")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TARGET)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "unit_id", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True),
                                    name="indicator_target_national_year_unique"),
            models.UniqueConstraint(fields=["indicator", "unit", "year"],
                                    condition=Q(unit__isnull=False),
                                    name="indicator_target_unit_year_unique"),
            models.CheckConstraint(condition=~Q(kind="baseline") | Q(unit__isnull=False),
                                   name="indicator_target_baseline_of_a_unit"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2200),
                                   name="indicator_target_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.get_kind_display()} {self.year}: {self.value}"


class IndicatorValue(models.Model):
    """A value of the indicator for one period: the national figure (no unit: entered by the
    responsible unit) or one unit's own. Reported like a progress report: draft → submitted →
    approved (locked) or returned; the secretariat reopens an approved value with a reason, and
    the earlier approved value stays in the history."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="indicator_values",
                             help_text=_("Empty for the national figure."))
    #: The last day of the period measured (a month, a quarter or a year).
    period_end = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    is_final = models.BooleanField(_("final figure"), default=False,
                                   help_text=_("Off while the figure is preliminary."))
    source_note = models.TextField(_("source of the figure"), blank=True)
    evidence_link = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True,
                                     help_text=_("The document that publishes the figure "
                                                 "(number, date, page)."))

    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("approved or returned by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "-period_end", "unit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"],
                                    condition=Q(unit__isnull=True),
                                    name="indicator_value_national_period_unique"),
            models.UniqueConstraint(fields=["indicator", "unit", "period_end"],
                                    condition=Q(unit__isnull=False),
                                    name="indicator_value_unit_period_unique"),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="indicator_value_submitted_has_who_and_when"),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "returned"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="indicator_value_decided_has_who_and_when"),
            models.CheckConstraint(condition=~Q(state="returned") | ~Q(return_comment=""),
                                   name="indicator_value_returned_has_comment"),
        ]
        indexes = [
            models.Index(fields=["indicator", "state", "period_end"],
                         name="indicator_value_series_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period_end}"

    @property
    def reporting_unit(self) -> Unit:
        """Who enters the value: the unit itself, or for the national figure the indicator's
        responsible unit."""
        return self.unit if self.unit_id else self.indicator.responsible_unit

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED
