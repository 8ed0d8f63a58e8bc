from django.core.management.base import BaseCommand

from tasks.reference import reference_load


class Command(BaseCommand):
    help = ("Load the reference data that ships with the product (resolutions 72, 282, 59, 70, "
            "71, the six task groups, the units). Safe to run again: nothing is duplicated.")

    def handle(self, *args, **options):
        created = reference_load()
        self.stdout.write(self.style.SUCCESS(
            "Reference data: {units} units, {resolutions} resolutions, {groups} task groups "
            "created.".format(**created)
        ))
