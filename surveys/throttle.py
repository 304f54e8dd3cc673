"""Rate limits on survey answers, through the shared helper
(config/ratelimit.py): per account, and for anonymous surveys per network
address and survey (``survey_answer:ip``, 30 an hour by default). Counters
never hold a network address, only a keyed hash of it."""

from config import ratelimit


def submission_count(request, survey) -> None:
    """Count one submission; raise ratelimit.RateLimited when over."""
    ratelimit.hit_for(
        "survey_answer",
        user=request.user,
        ip="" if survey.is_verified_mode else ratelimit.client_ip(request),
        scope=survey.pk,
    )
