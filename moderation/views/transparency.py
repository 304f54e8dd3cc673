"""The public transparency report."""

from django.shortcuts import render

from moderation import transparency


def report(request):
    rows = transparency.monthly_counts(months=12)
    return render(request, "moderation/transparency.html", {"rows": rows})
