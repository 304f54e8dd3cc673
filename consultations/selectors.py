"""Reads of consultations shared by pages and the API."""


def home_sections() -> dict:
    """What the home page shows: open consultations, upcoming hearings and
    the latest published responses."""
    return {"open_consultations": [], "upcoming_hearings": [], "latest_outcomes": []}
