"""Surveys: structure (survey, page, question, choice) and what residents
send (draft, participation, response, answer), plus export jobs."""

from surveys.models.exports import SurveyExport
from surveys.models.responses import Answer, Draft, Participation, Response
from surveys.models.structure import Choice, Page, Question, Survey

__all__ = [
    "Answer",
    "Choice",
    "Draft",
    "Page",
    "Participation",
    "Question",
    "Response",
    "Survey",
    "SurveyExport",
]
