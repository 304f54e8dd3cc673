"""Nightly dumps: every dataset as CSV and JSON, renamed into place, the
manifest, downloads, and the data dictionary page."""

import csv
import dataclasses
import io
import json

import pytest
from django.core.management import call_command

from api import exports, tasks
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


def test_dump_writes_every_dataset_in_both_formats(world, data_dir):
    tasks.open_data_dump.delay()
    manifest = json.loads((data_dir / "manifest.json").read_text())
    assert set(manifest["datasets"]) == set(exports.BY_NAME)
    for dataset in exports.DATASETS:
        with open(data_dir / f"{dataset.name}.csv", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == [c.name for c in dataset.columns]
        as_json = json.loads((data_dir / f"{dataset.name}.json").read_text())
        assert (
            len(as_json) == len(rows) - 1 == manifest["datasets"][dataset.name]["rows"]
        )
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".")]


def test_dump_holds_public_rows_only(world, data_dir):
    exports.open_data_dump()
    comments = json.loads((data_dir / "comments.json").read_text())
    visible = {world.comments["visible"].pk, world.comments["reply"].pk}
    assert {c["id"] for c in comments} == visible
    consultations = json.loads((data_dir / "consultations.json").read_text())
    assert "draft" not in {c["status"] for c in consultations}
    results = json.loads((data_dir / "survey_results.json").read_text())
    assert {r["survey_id"] for r in results} == {world.surveys["published"].pk}


def test_a_failed_dump_leaves_the_last_files(world, data_dir):
    exports.open_data_dump()
    before = (data_dir / "topics.csv").read_bytes()
    f.TopicFactory(slug="new-topic")

    def broken():
        yield {"slug": "half", "name_zh": "半", "name_en": "half"}
        raise RuntimeError("database went away")

    dataset = dataclasses.replace(exports.BY_NAME["topics"], rows=broken)
    with pytest.raises(RuntimeError):
        exports._write_dataset(dataset, data_dir)
    assert (data_dir / "topics.csv").read_bytes() == before
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".")]


def test_downloads_and_dictionary(world, data_dir, client):
    assert client.get("/data/topics.csv").status_code == 404  # before the first dump
    page = client.get("/data/", headers={"accept-language": "en"})
    assert b"has not run yet" in page.content
    exports.open_data_dump()
    response = client.get("/data/topics.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "transport"
    assert client.get("/data/manifest.json").status_code == 200
    assert client.get("/data/secrets.csv").status_code == 404
    assert client.get("/data/topics.exe").status_code == 404
    page = client.get("/data/", headers={"accept-language": "en"}).content.decode()
    for dataset in exports.DATASETS:
        assert f"/data/{dataset.name}.csv" in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page


def test_dump_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["open-data-dump"]
    assert entry["task"] == "api.tasks.open_data_dump"
    assert tasks.open_data_dump.name == entry["task"]


def test_management_command_writes_the_dump(world, data_dir):
    out = io.StringIO()
    call_command("open_data_dump", stdout=out)
    assert "comments: 2 rows" in out.getvalue()
    assert (data_dir / "manifest.json").is_file()
