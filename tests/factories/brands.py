import factory
from django.contrib.auth import get_user_model

from brands.models import Account, ApiKey, Brand, Membership, Plan, Role, hash_key
from tests.factories.registry import register


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    company_name = factory.Sequence(lambda n: f"Shop {n} B.V.")
    country = "NL"
    plan = Plan.GROWTH
    # UTC, not the country's zone: tests read the panel's times as the stored UTC values unless
    # they give the account a zone (account_create gives a real account its country's).
    time_zone = "UTC"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    account = factory.SubFactory(AccountFactory)
    role = Role.OWNER


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    whatsapp_number = "+31612345678"
    support_email = "support@example.com"
    default_language = "en"
    primary_color = "#112233"


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """`ApiKeyFactory().raw` is the usable key (only factories can know it after creation)."""

    class Meta:
        model = ApiKey
        exclude = ("generated",)

    account = factory.SubFactory(AccountFactory)
    name = "Test key"
    generated = factory.LazyFunction(ApiKey.generate)
    prefix = factory.LazyAttribute(lambda o: o.generated[0])
    raw = factory.LazyAttribute(lambda o: o.generated[1])
    key_hash = factory.LazyAttribute(lambda o: hash_key(o.raw))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        raw = kwargs.pop("raw", None)
        obj = super()._create(model_class, *args, **kwargs)
        obj.raw = raw
        return obj


register(Brand)(lambda account: BrandFactory(account=account))
register(ApiKey)(lambda account: ApiKeyFactory(account=account))
register(Membership)(lambda account: MembershipFactory(account=account, role=Role.MEMBER))
