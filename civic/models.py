"""The civic directory: areas, departments and public-service topics."""

from django.contrib.postgres.indexes import OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A Chinese and an English name, shown in the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or "zh-hans"
        if language.startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh


class Area(BilingualName):
    """One node of the administrative tree, from the city to a grid cell.

    ``path`` is a materialised path of administrative codes (``500000/
    500103/500103001/``), so everything under an area is one indexed
    ``path LIKE 'prefix%'`` query.
    """

    class Level(models.IntegerChoices):
        CITY = 1, _("city")
        DISTRICT = 2, _("district or county")
        STREET = 3, _("street or township")
        COMMUNITY = 4, _("community or village")
        GRID = 5, _("grid cell")

    code = models.CharField(_("administrative code"), max_length=20, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            models.Index(
                OpClass("path", name="varchar_pattern_ops"), name="area_path_prefix"
            ),
            models.Index(fields=["level", "path"], name="area_level_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="area_level_range"
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="area_only_city_is_root",
            ),
        ]

    def save(self, *args, **kwargs):
        old_path = self.path
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A moved or recoded area carries its whole subtree with it.
            Area.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )

    def clean(self):
        if self.parent_id and self.parent.level != self.level - 1:
            raise ValidationError(
                {"parent": _("The parent must be exactly one level above.")}
            )

    @property
    def depth_label(self) -> str:
        return self.get_level_display()


class Topic(BilingualName):
    """A public-service category (transport, education, elderly care, ...)."""

    slug = models.SlugField(_("slug"), unique=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Department(BilingualName):
    """A government body that runs consultations and answers demands."""

    slug = models.SlugField(_("slug"), unique=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="departments"
    )

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
