"""The open-data page and the nightly dumps' downloads."""

from django.http import Http404
from django.shortcuts import render
from django.views.static import serve

from api import exports
from civic import selectors as civic_selectors


def index(request):
    manifest = exports.manifest() or {}
    written = manifest.get("datasets", {})
    datasets = [
        {"dataset": dataset, "rows": written.get(dataset.name, {}).get("rows")}
        for dataset in exports.DATASETS
    ]
    context = {
        "datasets": datasets,
        "generated_at": manifest.get("generated_at"),
        "districts": civic_selectors.area_children(parent=None),
        "topics": civic_selectors.topic_list(),
    }
    return render(request, "api/data_index.html", context)


def _serve(request, filename: str):
    if not (exports.data_dir() / filename).is_file():
        raise Http404
    response = serve(request, filename, document_root=exports.data_dir())
    response["Content-Disposition"] = f'attachment; filename="minyi-{filename}"'
    return response


def manifest(request):
    return _serve(request, "manifest.json")


def download(request, name: str, fmt: str):
    if name not in exports.BY_NAME or fmt not in exports.FORMATS:
        raise Http404
    return _serve(request, exports.BY_NAME[name].filename(fmt))
