from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """Project-wide pieces: home page, health check, demo data commands."""

    name = "config"
    label = "site"
    verbose_name = _("Minyi")
