"""Accounts: the custom user, and the roles that make a user an official or
a moderator."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civic.models import Area, Department

DISPLAY_NAME_MAX_LENGTH = 50


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Email is the login; there is no username."""

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "简体中文"
        EN = "en", "English"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("Shown next to what you write in public."),
    )
    home_area = models.ForeignKey(
        Area,
        verbose_name=_("home area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )
    care_mode = models.BooleanField(
        _("care mode"),
        default=False,
        help_text=_("Larger text and controls, higher contrast, simpler layout."),
    )
    departments = models.ManyToManyField(
        Department,
        through="Membership",
        verbose_name=_("departments"),
        blank=True,
        related_name="officials",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.email

    def get_absolute_url(self):
        return reverse("accounts:profile")


class Membership(models.Model):
    """Makes a user an official of a department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.department}"


class ModeratorRole(models.Model):
    """Makes a user a moderator, site-wide (no department) or for one
    department's consultations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderator_roles",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderator_roles",
        help_text=_("Leave empty for a site-wide moderator."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderator role")
        verbose_name_plural = _("moderator roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"],
                name="moderator_role_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        scope = self.department or _("site-wide")
        return f"{self.user} ({scope})"
