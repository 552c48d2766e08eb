"""Demo accounts (and, as the domain grows, demo cases) for development and trying Tafel out."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from mediation.roles import Role

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts exist only outside production mode


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    description: str


DEMO_ACCOUNTS = (
    DemoAccount("coordinator", "Carla", "de Vries", Role.COORDINATOR, "refers conflicts"),
    DemoAccount("mediator", "Mehmet", "Yilmaz", Role.MEDIATOR, "leads cases"),
    DemoAccount("comediator", "Sanne", "Bakker", Role.MEDIATOR, "co-mediates cases"),
    DemoAccount("supervisor", "Peter", "Jansen", Role.SUPERVISOR, "assigns mediators"),
    DemoAccount("outsider", "Olga", "Visser", Role.MEDIATOR, "has no cases: sees nothing"),
)


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create or reset the demo accounts; running it again changes nothing else."""
    user_model = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for account in DEMO_ACCOUNTS:
        user, _created = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@tafel.example",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([groups[account.role.value]])
    return list(DEMO_ACCOUNTS)
