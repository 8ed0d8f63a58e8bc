import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import dmy, localized
from units.models import Unit

from .authorities import Authority
from .deadlines import ONE_OFF_KINDS, RECURRING_KINDS, UNDATED_KINDS, DeadlineKind, format_deadline


class Resolution(models.Model):
    """A resolution, programme or plan whose tasks are tracked; it may implement another."""

    class Kind(models.TextChoices):
        PARTY_RESOLUTION = "party_resolution", _("Party resolution")
        GOVERNMENT_RESOLUTION = "government_resolution", _("Government resolution")
        DECISION = "decision", _("Decision")
        PLAN = "plan", _("Plan")
        OTHER = "other", _("Other document")

    number = models.CharField(_("number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.TextField(_("title"))
    title_en = models.TextField(_("title in English"), blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    implements = models.ForeignKey(
        "self", verbose_name=_("implements"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="implemented_by",
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="owned_resolutions",
        help_text=_("For a plan: the ministry, agency or province whose plan it is, which breaks "
                    "down the tasks it leads in the resolution implemented."),
    )
    is_tracked = models.BooleanField(
        _("tasks tracked here"), default=True,
        help_text=_("Off for documents kept only as context."),
    )
    is_public = models.BooleanField(_("published on the public progress page"), default=False,
                                    help_text=_("Its issued monthly figures are open to all."))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["issued_on", "number"]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="resolution_number_not_blank"),
            models.CheckConstraint(condition=~Q(title=""), name="resolution_title_not_blank"),
            models.CheckConstraint(
                condition=~Q(implements=models.F("id")), name="resolution_not_implementing_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def display_title(self) -> str:
        return localized(self.title, self.title_en)


class TaskGroup(models.Model):
    """One of a resolution's groups of tasks and solutions (282/NQ-CP has six)."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.PROTECT, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("name"))
    name_en = models.TextField(_("name in English"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        ordering = ["resolution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "number"],
                                    name="task_group_number_unique_in_resolution"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_group_number_positive"),
            models.CheckConstraint(condition=~Q(name=""), name="task_group_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


def code_sort_key(code: str) -> str:
    """A key that orders "2.9" before "2.10": each number zero-padded."""
    return re.sub(r"\d+", lambda m: m.group().zfill(6), code.strip().lower())


def _deadline_constraints(prefix: str) -> list[models.CheckConstraint]:
    kind, due = f"{prefix}deadline_kind", f"{prefix}deadline"
    name = prefix or "current_"
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{kind}__in": sorted(UNDATED_KINDS), f"{due}__isnull": True})
                       | Q(**{f"{kind}__in": sorted(ONE_OFF_KINDS | RECURRING_KINDS),
                              f"{due}__isnull": False})),
            name=f"task_{name}deadline_dated_by_kind",
        ),
        models.CheckConstraint(
            condition=(~Q(**{f"{kind}__in": ["quarter", "quarterly"]})
                       | Q(**{f"{due}__month__in": [3, 6, 9, 12], f"{due}__day__in": [30, 31]})),
            name=f"task_{name}deadline_quarter_end",
        ),
        models.CheckConstraint(
            condition=(~Q(**{f"{kind}__in": ["year", "annual"]})
                       | Q(**{f"{due}__month": 12, f"{due}__day": 31})),
            name=f"task_{name}deadline_year_end",
        ),
        models.CheckConstraint(
            condition=(~Q(**{f"{kind}__in": ["month", "monthly"]}) | Q(**{f"{due}__day__gte": 28})),
            name=f"task_{name}deadline_month_end",
        ),
    ]


class Task(models.Model):
    """A task of a programme: who leads it, who helps, what it produces, by when."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.PROTECT, related_name="tasks",
        editable=False,
    )
    group = models.ForeignKey(
        TaskGroup, verbose_name=_("task group"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("code"), max_length=20)
    sort_key = models.CharField(max_length=80, editable=False, default="")
    title = models.TextField(_("task"))
    title_en = models.TextField(_("task in English"), blank=True)
    description = models.TextField(_("description"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("coordinating units"), blank=True, related_name="coordinated_tasks"
    )
    competent_authority = models.CharField(
        _("competent authority"), max_length=32, choices=Authority.choices, blank=True
    )
    responsible_official = models.CharField(_("responsible official"), max_length=255, blank=True)

    deadline_kind = models.CharField(
        _("deadline kind"), max_length=16, choices=DeadlineKind.choices
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True,
        help_text=_("The last day of the period; for a recurring task, its first due date."),
    )
    deadline_text = models.CharField(_("deadline as written"), max_length=255, blank=True)
    original_deadline_kind = models.CharField(
        _("original deadline kind"), max_length=16, choices=DeadlineKind.choices, editable=False
    )
    original_deadline = models.DateField(_("original deadline"), null=True, editable=False)
    original_deadline_text = models.CharField(
        _("original deadline as written"), max_length=255, blank=True, editable=False
    )

    completed_on = models.DateField(
        _("completed on"), null=True, blank=True,
        help_text=_("For a task with a one-off, ongoing or unspecified deadline."),
    )
    #: The task of the programme above that this task of a plan breaks down (tasks.cascade);
    #: its rule lives in tasks.services.cascade (no CHECK constraint: SQLite would rebuild the
    #: table, and with it lose the per-task facts' triggers).
    implements = models.ForeignKey(
        "self", verbose_name=_("implements the task"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="implemented_by",
        help_text=_("A task of the resolution this task's resolution implements."),
    )
    # Kept by the tasks.flag_overdue job: the day the task's current stretch of being overdue
    # began, which keys its overdue and escalation notifications.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, editable=False,
                                     db_index=True)
    is_illustrative = models.BooleanField(
        _("illustrative demo detail"), default=False,
        help_text=_("Demo data whose detail is illustrative rather than taken from the text."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(m2m_fields=[coordinating_units], excluded_fields=["sort_key"])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["resolution", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "code"],
                                    name="task_code_unique_in_resolution"),
            models.CheckConstraint(condition=~Q(code=""), name="task_code_not_blank"),
            models.CheckConstraint(condition=~Q(title=""), name="task_title_not_blank"),
            *_deadline_constraints(""),
            *_deadline_constraints("original_"),
            # A recurring task is completed occurrence by occurrence (OccurrenceCompletion).
            models.CheckConstraint(
                condition=~Q(deadline_kind__in=sorted(RECURRING_KINDS))
                | Q(completed_on__isnull=True),
                name="task_recurring_completed_by_occurrence",
            ),
        ]
        indexes = [
            models.Index(fields=["deadline_kind", "deadline"], name="task_deadline_idx"),
            # The programme's order, with the id: the task list's page of ids is read from
            # this index alone (PostgreSQL), not from the wide rows.
            models.Index(fields=["resolution", "sort_key"], include=["id"],
                         name="task_order_ids_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    def save(self, *args, **kwargs):
        self._derive()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # overdue_since belongs to the flag_overdue job: an edit made from a copy loaded
            # before the job ran must not write back a stale value.
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name != "overdue_since"]
        super().save(*args, **kwargs)

    def _derive(self) -> None:
        """Fields that follow from others: the resolution from the group, the sort key from the
        code, and, on creation, the original deadline from the deadline."""
        if self.group_id:
            self.resolution_id = self.group.resolution_id
        self.sort_key = code_sort_key(self.code)
        if self._state.adding and not self.original_deadline_kind:
            self.original_deadline_kind = self.deadline_kind
            self.original_deadline = self.deadline
            self.original_deadline_text = self.deadline_text

    def clean(self):
        self._derive()

    @property
    def display_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def deadline_display(self) -> str:
        """The deadline as the programme wrote it, or its canonical form if nothing was written."""
        return self.deadline_text or format_deadline(self.deadline_kind, self.deadline)

    @property
    def original_deadline_display(self) -> str:
        return self.original_deadline_text or format_deadline(
            self.original_deadline_kind, self.original_deadline
        )


class OccurrenceCompletion(models.Model):
    """One completed occurrence of a recurring task (e.g. the 2026 round of annual check-ups)."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="occurrence_completions")
    due = models.DateField(_("occurrence due"))
    completed_on = models.DateField(_("completed on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("completed occurrence")
        verbose_name_plural = _("completed occurrences")
        ordering = ["task", "due"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due"], name="occurrence_completed_once"),
        ]
        indexes = [
            # Status classes in SQL ask "which tasks completed the occurrence due on D by day X"
            # for a handful of dates D: answered from this index alone.
            models.Index(fields=["due", "completed_on", "task"], name="occurrence_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {dmy(self.due)}"


class Output(models.Model):
    """A product a task promises (sản phẩm) and, once done, the document that was issued."""

    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        RESOLUTION = "resolution", _("Resolution")
        DECREE = "decree", _("Decree")
        DECISION = "decision", _("Decision")
        CIRCULAR = "circular", _("Circular")
        DIRECTIVE = "directive", _("Directive")
        SCHEME = "scheme", _("Scheme or project")
        PROGRAMME = "programme", _("Programme")
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Report")
        DATABASE = "database", _("Database or information system")
        EVENT = "event", _("Conference or event")
        OTHER = "other", _("Other")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="outputs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.TextField(_("product"))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="outputs/%Y/%m/", blank=True, max_length=255)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    #: When a report first spoke of it (tasks.services.output_mark_reported): it is then kept.
    reported_at = models.DateTimeField(_("first reported on"), null=True, blank=True,
                                       editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["task", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="output_title_not_blank"),
            models.CheckConstraint(
                condition=Q(document_number="", file="") | Q(issued_on__isnull=False),
                name="output_issued_document_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            # reported_at belongs to output_mark_reported: an edit made from a copy loaded
            # before a report spoke of the output must not clear it.
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name != "reported_at"]
        super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.issued_on is not None


from .deadline_changes_table import DeadlineChange  # noqa: E402,F401
from .facts_table import TaskFacts, TaskFactsDay, TaskFactsStale  # noqa: E402,F401
