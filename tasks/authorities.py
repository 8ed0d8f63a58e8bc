"""The competent authorities (rõ thẩm quyền), read by tasks and by their deadline changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.TextChoices):
    """Who has the power to approve or issue a task's product (rõ thẩm quyền)."""

    POLITBURO = "politburo", _("Politburo")
    SECRETARIAT = "party_secretariat", _("Party Central Secretariat")
    NATIONAL_ASSEMBLY = "national_assembly", _("National Assembly")
    NA_STANDING_COMMITTEE = "na_standing_committee", _("National Assembly Standing Committee")
    GOVERNMENT = "government", _("Government")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    MINISTER = "minister", _("Minister or head of a ministerial-level agency")
    PROVINCIAL_CHAIR = "provincial_chair", _("Chair of the provincial People's Committee")
    LEAD_UNIT_HEAD = "lead_unit_head", _("Head of the lead unit")
