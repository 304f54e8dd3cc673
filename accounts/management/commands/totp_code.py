"""Print the current TOTP code of an account (for demo accounts and local
development; it reads the stored secret, so only an operator can run it)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current TOTP code of an account with TOTP enrolled."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        authenticator = Authenticator.objects.filter(
            user__email=email.lower(), type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no TOTP authenticator.")
        secret = decrypt(authenticator.data["secret"])
        period = getattr(settings, "MFA_TOTP_PERIOD", 30)
        counter = int(time.time()) // period
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
