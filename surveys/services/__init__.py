"""Surveys' writes: building (``builder``), answering (``answering``) and
exports (``exports``)."""
