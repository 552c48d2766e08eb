"""factory_boy factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from mediation.roles import Role

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
