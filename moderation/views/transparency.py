"""The public transparency report."""

from django.shortcuts import render


def report(request):
    return render(request, "moderation/transparency.html", {})
