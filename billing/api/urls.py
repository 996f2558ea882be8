"""API routes of this app, included under /api/v1/ by config/urls.py."""

urlpatterns: list = []
