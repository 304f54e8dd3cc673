"""Survey results: aggregation (``aggregate``), breakdowns (``breakdown``)
and the open answers (``open_answers``)."""
