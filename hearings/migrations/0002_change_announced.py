from django.db import migrations, models
from django.db.models import F


def announced_so_far(apps, schema_editor):
    """Changes made before this field existed were announced at the time."""
    Hearing = apps.get_model("hearings", "Hearing")
    Hearing.objects.update(announced_sequence=F("sequence"))


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="hearing",
            name="announced_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(announced_so_far, migrations.RunPython.noop),
    ]
