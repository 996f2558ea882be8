"""Shared infrastructure below every app (brands <- tracking <- messaging <- billing all may import
it; it imports none of them): errors, HTTP client, rate limits, signed links, API error shapes,
middleware. `config/` stays the composition root: settings, urls, the Celery app."""
