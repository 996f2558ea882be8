"""Public pages of tracking: /track/<token>/ and /track/b/<brand_slug>/, and carrier webhooks."""

urlpatterns: list = []
