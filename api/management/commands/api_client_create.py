"""`manage.py api_client_create`: register a municipal system and print its token once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.models import ApiScope
from api.services import api_client_create


class Command(BaseCommand):
    help = "Register an API client (a municipal system) and print its token, shown only now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Which system this is.")
        parser.add_argument("--organisation", required=True, help="The organisation it speaks for.")
        parser.add_argument(
            "--acts-as", required=True, help="User name of the coordinator who answers for it."
        )
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiScope.values,
            default=[],
            help="A scope it gets; repeat for more.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["acts_as"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {options['acts_as']!r}.") from None
        try:
            client, token = api_client_create(
                name=options["name"],
                organisation=options["organisation"],
                acts_as=user,
                scopes=options["scope"],
                actor=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(f"API client {client.name} made; its token (shown only now):")
        self.stdout.write(token)
