from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Project-wide pieces: home page, health check, demo data commands."""

    name = "config"
    label = "site"
    verbose_name = "Minyi"
