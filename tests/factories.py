"""factory_boy factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases import permissions
from cases.models import Case, CaseKind
from mediation.roles import Role
from parties.models import Participation, Party
from parties.services import party_create

TEST_PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; `UserFactory(roles=[Role.MEDIATOR])` puts them in the role's group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@tafel.example")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: browser tests flush the tables, groups from the data migration too.
            self.groups.add(
                *(Group.objects.get_or_create(name=Role(role).value)[0] for role in extracted)
            )


class CaseFactory(factory.django.DjangoModelFactory):
    """A case referred by `referred_by`; use `cases.services` to assign and move it on.

    Permissions are granted as the services would: `CaseFactory(referred_by=coordinator,
    mediators=[lead, co])` makes `lead` the lead mediator and grants everyone their rights.
    """

    class Meta:
        model = Case
        skip_postgeneration_save = True

    kind = factory.LazyFunction(
        lambda: CaseKind.objects.get_or_create(
            code="inter_group",
            defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"},
        )[0]
    )
    reference = factory.Sequence(lambda n: f"MED-2026-{9000 + n:04d}")
    title = factory.Sequence(lambda n: f"Spanning rond buurthuis {n}")
    referred_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    referring_organisation = "Gemeente Utrecht"
    referral_reason = "Bewoners en gemeente praten niet meer met elkaar."

    @factory.post_generation
    def mediators(self, create, extracted, **kwargs):
        if not create:
            return
        permissions.grant_referrer(self, self.referred_by)
        if extracted:
            lead, *co = extracted
            Case.objects.filter(pk=self.pk).update(lead_mediator=lead)
            self.lead_mediator = lead
            self.co_mediators.set(co)
            for user in extracted:
                permissions.grant_mediator(self, user)


class PartyFactory(factory.django.DjangoModelFactory):
    """A party made by `party_create`, so its contact details are sealed as in the app."""

    class Meta:
        model = Party

    kind = "person"
    name = factory.Faker("name", locale="nl_NL")
    organisation = ""
    email = factory.Sequence(lambda n: f"partij{n}@voorbeeld.nl")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return party_create(actor=None, **kwargs)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    case = factory.SubFactory(CaseFactory)
    party = factory.SubFactory(PartyFactory)
    role = "party"
