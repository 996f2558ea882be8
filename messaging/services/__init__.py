"""Writes of messaging, one module per concern: notification settings, WhatsApp consent, templates.

Every write runs in a transaction and either applies completely or raises (RuleViolation for a
business rule, with a stable `code`) having changed nothing.
"""
