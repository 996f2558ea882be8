"""Public endpoints of messaging: provider webhooks and /unsubscribe/<token>/."""

urlpatterns: list = []
