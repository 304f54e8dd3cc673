"""Load the demo city. Idempotent: running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as account_demo
from civic import demo as civic_demo
from consultations import demo as consultation_demo
from demands import demo as demand_demo
from hearings import demo as hearing_demo
from surveys import demo as survey_demo


class Command(BaseCommand):
    help = "Load a small, realistic bilingual demo of Chongqing (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-only",
            action="store_true",
            help="Only print the demo accounts; change nothing.",
        )

    def handle(self, *args, accounts_only=False, **options):
        if accounts_only:
            accounts = account_demo.describe()
        else:
            with transaction.atomic():
                civic_demo.seed()
                accounts = account_demo.seed()
                consultation_demo.seed()
                survey_demo.seed()
                hearing_demo.seed()
                demand_demo.seed()
            self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write("Demo accounts (email / password / role):")
        for account in accounts:
            line = (
                f"  {account['email']:<26} {account['password']:<22} {account['role']}"
            )
            if account["totp_secret"]:
                line += f"  (TOTP secret {account['totp_secret']})"
            self.stdout.write(line)
        self.stdout.write(
            "Officials, moderators and the administrator sign in with a TOTP "
            "code: add the secret to an authenticator app, or run\n"
            "  .venv/bin/python manage.py totp_code official@minyi.example"
        )
