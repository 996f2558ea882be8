"""Provider status webhooks as they were accepted: the intake (dispatch/status_intake.py).

A status webhook is answered only once its statuses are rows here (one INSERT, in the request):
a webhook accepted is a webhook recorded, whatever happens to the worker that applies it later.
`key` names one status of one message (WhatsApp: message id, status, timestamp, error code;
Twilio: MessageSid and MessageStatus); a provider's retry or replay is ignored at the insert by
the unique (channel, key). Applied rows keep `processed_at` and stay as long as a provider
retries (Meta: 7 days), then the sweeper deletes them.
"""

from django.db import models
from django.db.models import Q


class StatusIntake(models.Model):
    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=16)
    # The provider name sends are recorded under ('' for a webhook that cannot prove an acceptance).
    provider = models.CharField(max_length=32, blank=True)
    key = models.CharField(max_length=400)
    # The parsed StatusUpdate (status_intake.update_data): times as ISO strings.
    data = models.JSONField()
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="messaging_status_intake_once")]
        indexes = [
            # The workers' and the sweeper's: only the rows still to apply.
            models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="messaging_intake_pending_idx"),
            models.Index(fields=["received_at"], name="messaging_intake_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"
