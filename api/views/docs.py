"""The API's documentation page: Swagger UI from vendored files, started
by a static script (no inline script under the site's CSP)."""

from django.shortcuts import render


def api_docs(request):
    return render(request, "api/docs.html")
