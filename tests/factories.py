"""Typed factory_boy factories."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from factory.declarations import Sequence, SubFactory
from factory.faker import Faker

from accounts.models import Role, User
from vacancies.models import Employer, EmployerMember
from vacancies.validators import kz_bin_check_digit

PASSWORD = "correct horse battery staple"
# Hashing once keeps the suite fast; argon2 is still what the hash is.
PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = Sequence(lambda n: f"user{n}@example.org")
    full_name = Faker("name", locale="ru_RU")
    role = Role.SEEKER
    password = PASSWORD_HASH


def kz_bin(n: int) -> str:
    """A valid Kazakh BIN, different for each ``n``."""
    serial = n
    while True:
        head = f"2401400{serial:04d}"
        check = kz_bin_check_digit(head)
        if check is not None:
            return f"{head}{check}"
        serial += 5000


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    name = Sequence(lambda n: f"ТОО «Компания {n}»")
    country_id = "KZ"
    registration_number = Sequence(kz_bin)


class MemberFactory(factory.django.DjangoModelFactory[EmployerMember]):
    class Meta:
        model = EmployerMember

    employer = SubFactory(EmployerFactory)
    user = SubFactory(UserFactory, role=Role.EMPLOYER)
    role = EmployerMember.Role.RECRUITER
