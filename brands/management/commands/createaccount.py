import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from brands.services import account_create


class Command(BaseCommand):
    help = "Create an account, its owner and an API key; prints one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2, where the company is registered")
        parser.add_argument("--plan", required=True, help="free, lite, growth or premium")
        parser.add_argument("--email", required=True, help="the owner's e-mail (their login)")
        parser.add_argument("--password", default=None)

    def handle(self, *args, **options):
        try:
            account, user, raw_key = account_create(
                company_name=options["company"],
                country=options["country"],
                plan=options["plan"],
                email=options["email"],
                password=options["password"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"--{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(problems) from exc
        self.stdout.write(json.dumps({"account": account.pk, "user": user.email, "api_key": raw_key}))
