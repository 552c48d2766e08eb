"""Propose a destruction list of every record whose retention ended (the worker does this
monthly); nothing is destroyed until a supervisor approves and carries out the list."""

from django.core.management.base import BaseCommand

from dossier.services import destruction_propose


class Command(BaseCommand):
    help = (
        "Propose a destruction list of the records whose retention ended. A supervisor "
        "approves and carries it out at /dossier/destruction/."
    )

    def handle(self, *args: object, **options: object) -> None:
        proposal = destruction_propose(actor=None)
        if proposal is None:
            self.stdout.write("Nothing is due for destruction.")
            return
        self.stdout.write(
            f"Destruction list {proposal.pk} proposed with {proposal.items.count()} item(s)."
        )
