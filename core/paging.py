"""Pages of a long, ordered list whose rows are wide: the page's ids first, then its rows.

Ordering thousands of full rows to keep fifty made PostgreSQL hash and sort every column of
every row (task descriptions and notes included). IdPaginator asks for the page's ids alone,
over narrow rows the database may read from indexes, then for those rows in full (with the
queryset's annotations and prefetches), put back in the page's order.
"""

from django.core.paginator import Page, Paginator


class IdPaginator(Paginator):
    """A Paginator of a queryset whose pages are read by id (see the module); the count and
    the order are the queryset's own."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
