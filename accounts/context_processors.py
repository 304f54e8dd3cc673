def preferences(request):
    """Care mode for the base layout."""
    return {"care_mode": getattr(request, "care_mode", False)}
