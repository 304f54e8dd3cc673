"""Surveys: structure (survey, page, question, choice) and what residents
send (draft, participation, response, answer), results tallies and
export jobs."""

from surveys.models.exports import SurveyExport
from surveys.models.responses import Answer, Draft, Participation, Response
from surveys.models.results import Tally
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
    "Tally",
]
