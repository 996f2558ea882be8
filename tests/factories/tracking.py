"""Factories of the tracking app. Register a tenant builder for every model reachable by an API URL."""
