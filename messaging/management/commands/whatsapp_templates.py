"""`manage.py whatsapp_templates sync [--business-account ID]` and `manage.py whatsapp_templates list`.

sync: lists the business account's templates at Meta (WHATSAPP_BUSINESS_ACCOUNT_ID by default),
records them, registers the platform templates missing there, and prints a progress line per
step (on a terminal: a progress bar over the templates to register instead, core/progress.py), a
summary line with the duration, and a table at the end. list: the recorded templates, without
calling Meta.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.progress import Summary, progress_bar, shows_progress
from messaging.models import WhatsAppTemplate
from messaging.services.whatsapp_template_sync import sync_templates
from messaging.whatsapp_gate import platform_business_account
from messaging.whatsapp_registration import platform_names

COLUMNS = (("name", 28), ("language", 8), ("status", 10), ("category", 14), ("quality", 8))


class Command(BaseCommand):
    help = "Register the platform's WhatsApp templates at Meta and record their status (sync), or show them (list)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        for name, text in (("sync", "register missing templates and record Meta's answers"),
                           ("list", "show the recorded templates")):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("--business-account", default="", help="WABA id (default: WHATSAPP_BUSINESS_ACCOUNT_ID)")

    def handle(self, *args, action, business_account="", verbosity=1, **options):
        account = business_account or platform_business_account()
        if not account:
            raise CommandError("No business account: set WHATSAPP_BUSINESS_ACCOUNT_ID or pass --business-account.")
        if action == "sync":
            self.sync(account, verbosity)
        self.table(account)

    def sync(self, account: str, verbosity: int) -> None:
        if not settings.WHATSAPP_ACCESS_TOKEN:
            raise CommandError("WHATSAPP_ACCESS_TOKEN is not set: Meta cannot be called.")
        summary = Summary()
        with progress_bar(self, description="Registering templates", total=None, verbosity=verbosity) as advance:
            # On a terminal the bar shows the steps; elsewhere (logs, cron) a line per step.
            say = (lambda line: advance(0, description=line)) if shows_progress(self, verbosity) else self.stdout.write
            report = sync_templates(business_account_id=account, access_token=settings.WHATSAPP_ACCESS_TOKEN,
                                    base_url=settings.WHATSAPP_API_BASE_URL, progress=say, advance=advance)
        summary.line(self.stdout, f"Listed {report.listed}, registered {len(report.created)}, refused "
                                  f"{len(report.failed)}, deferred {len(report.deferred)} ({report.calls} calls to Meta)")
        for label, text in sorted(report.failed.items()):
            self.stderr.write(f"refused {label}: {text}")
        if report.error:
            self.stderr.write(f"stopped early: {report.error} ({len(report.deferred)} left for the next sync)")
        if not settings.WHATSAPP_TEMPLATE_HEADER_HANDLE:
            self.stdout.write("pc_delivered_photo_v1 not registered: WHATSAPP_TEMPLATE_HEADER_HANDLE is not set.")

    def table(self, account: str) -> None:
        rows = WhatsAppTemplate.objects.filter(business_account_id=account).order_by("name", "language")
        ours = platform_names()
        self.stdout.write("")
        self.stdout.write("  ".join(title.upper().ljust(width) for title, width in COLUMNS))
        count = 0
        for row in rows:
            count += 1
            cells = [row.name + ("" if row.name in ours else " *"), row.language, row.status, row.category or "-",
                     row.quality]
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, (_, width) in zip(cells, COLUMNS)))
        approved = rows.filter(status="APPROVED", category="UTILITY").count()
        self.stdout.write(f"{count} templates in business account {account}, {approved} approved as utility"
                          + (" (* not a platform template)" if any(r.name not in ours for r in rows) else "") + ".")
