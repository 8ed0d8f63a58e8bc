"""Issue (or revoke) an API token for another system."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from units.models import ApiToken, User
from units.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = ("Issue an API token acting as USERNAME and print it (once: only its hash is kept); "
            "or revoke one with --revoke PREFIX.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?",
                            help="the user the token acts as (its unit and role apply)")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default="read",
                            help="read (the default) or write")
        parser.add_argument("--name", default="", help="which system uses it")
        parser.add_argument("--expires-in-days", type=int, default=None,
                            help="the token stops working after this many days")
        parser.add_argument("--revoke", metavar="PREFIX",
                            help="revoke the token pt_PREFIX_… instead of issuing one")

    def handle(self, *args, username=None, scope="read", name="", expires_in_days=None,
               revoke=None, **options):
        if revoke:
            prefix = revoke.removeprefix("pt_").split("_", 1)[0]
            token = ApiToken.objects.filter(prefix=prefix).first()
            if token is None:
                raise CommandError(f"No token has the prefix {prefix!r}.")
            api_token_revoke(token=token)
            self.stdout.write(f"Revoked pt_{token.prefix}_… of {token.user.username}.")
            return
        if not username:
            raise CommandError("Give the username the token acts as (or --revoke PREFIX).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is disabled.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = (timezone.now() + timedelta(days=expires_in_days)
                      if expires_in_days else None)
        token, raw = api_token_issue(user=user, scope=scope, name=name, expires_at=expires_at)
        self.stderr.write(f"A {scope} token for {username} ({user.get_role_display()}); "
                          "it is shown only now: keep it secret.")
        self.stdout.write(raw)
