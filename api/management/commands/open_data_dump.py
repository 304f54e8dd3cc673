"""Write the open-data dumps now (Celery beat does it nightly)."""

from django.core.management.base import BaseCommand

from api import exports


class Command(BaseCommand):
    help = "Write every public dataset as CSV and JSON under OPEN_DATA_DIR."

    def handle(self, *args, **options):
        manifest = exports.open_data_dump()
        for name, dataset in manifest["datasets"].items():
            self.stdout.write(f"{name}: {dataset['rows']} rows")
        self.stdout.write(f"Written to {exports.data_dir()}")
