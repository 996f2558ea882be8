from collections.abc import Callable

from django.db import models

# model -> callable(account) returning a saved instance belonging to that account
TENANT_BUILDERS: dict[type[models.Model], Callable] = {}


def register(model: type[models.Model]):
    def decorator(builder: Callable) -> Callable:
        TENANT_BUILDERS[model] = builder
        return builder

    return decorator


def make_for_account(model: type[models.Model], account) -> models.Model:
    if model not in TENANT_BUILDERS:
        raise LookupError(
            f"No tenant builder for {model.__name__}: add one with @register in tests/factories/ "
            "so the cross-account sweep covers its endpoints."
        )
    return TENANT_BUILDERS[model](account)
