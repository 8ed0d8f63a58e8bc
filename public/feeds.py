"""An Atom feed of the issued monthly figures of every published programme (Django's
syndication framework)."""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import localized

from .figures import public_periods, public_resolutions


class IssuedReportsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Programme Tracker: issued progress reports")
    subtitle = gettext_lazy("Each period's figures as the monthly report issued them.")

    def link(self):
        return reverse("public:index")

    def items(self):
        rows = []
        for resolution in public_resolutions():
            for period in public_periods(resolution=resolution):
                rows.append((resolution, period))
        rows.sort(key=lambda row: (row[1]["issued_on"], row[0].pk), reverse=True)
        return rows[:100]

    def item_title(self, item):
        resolution, period = item
        return _("%(number)s: progress to %(month)02d/%(year)d") % {
            "number": resolution.number, "month": period["month"], "year": period["year"]}

    def item_description(self, item):
        resolution, period = item
        return _("%(title)s. Monthly report %(report)s, issued %(date)s.") % {
            "title": localized(resolution.title, resolution.title_en),
            "report": period["number"],
            "date": datetime.fromisoformat(period["issued_on"]).strftime("%d/%m/%Y")}

    def item_link(self, item):
        resolution, period = item
        return reverse("public:period", args=[resolution.pk, period["key"]])

    def item_guid(self, item):
        resolution, period = item
        return f"urn:programme-tracker:public:{resolution.pk}:{period['key']}:v{period['version']}"

    def item_pubdate(self, item):
        return datetime.fromtimestamp(item[1]["issued_at"], tz=UTC)

    item_updateddate = item_pubdate
