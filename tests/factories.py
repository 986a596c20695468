"""factory_boy factories for the models of both apps."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from accounts.models import Competitor, Customer, LedgerLine, Segment
from kamapp.roles import Role, role_group
from scoring.models import Axis, Consideration, Factor, Rating, ScoringRound


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-only")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(role_group(Role(extracted)))
            if extracted == Role.ADMIN:
                self.is_staff = self.is_superuser = True
                self.save(update_fields=["is_staff", "is_superuser"])


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Segment {n}")


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Competitor {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    segment = factory.SubFactory(SegmentFactory)


class LedgerLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerLine

    customer = factory.SubFactory(CustomerFactory)
    invoice_number = factory.Sequence(lambda n: f"INV-{n:06d}")
    line_key = "1"
    invoice_date = factory.Faker("date_between", start_date="-2y", end_date="today")
    amount = Decimal("1000.00")


class ScoringRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringRound

    name = factory.Sequence(lambda n: f"Round {n}")
    status = ScoringRound.Status.SCORING

    class Params:
        # One trait per stage: ScoringRoundFactory(decided=True).
        draft = factory.Trait(status=ScoringRound.Status.DRAFT)
        meeting = factory.Trait(status=ScoringRound.Status.MEETING)
        decided = factory.Trait(status=ScoringRound.Status.DECIDED)
        archived = factory.Trait(status=ScoringRound.Status.ARCHIVED)


class FactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Factor

    round = factory.SubFactory(ScoringRoundFactory)
    axis = Axis.ATTRACTIVENESS
    name = factory.Sequence(lambda n: f"Factor {n}")
    weight = Decimal("50")
    consideration = factory.LazyAttribute(
        lambda factor: Consideration.PURE if factor.axis == Axis.ATTRACTIVENESS else ""
    )


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    factor = factory.SubFactory(FactorFactory)
    round = factory.SelfAttribute("factor.round")
    customer = factory.SubFactory(CustomerFactory)
    rater = factory.SubFactory(UserFactory)
    value = Decimal("5")
