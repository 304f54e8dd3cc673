"""What the answering page shows for each question: its options with what
is checked, the text typed so far, the error, and the condition hint.

Built from raw answers (a draft's or a rejected post's), so a page that
comes back with an error keeps everything the resident typed.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civic import selectors as civic_selectors
from civic.models import Area
from surveys import logic
from surveys.logic import Structure
from surveys.models import Page, Question
from surveys.services import answering


@dataclass
class Option:
    pk: int
    text: str
    checked: bool = False
    is_other: bool = False
    rank: str = ""


@dataclass
class AreaLevel:
    name: str
    label: str
    areas: list
    selected: str


@dataclass
class QuestionView:
    question: Question
    name: str
    error: str = ""
    value: str = ""
    other: str = ""
    options: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    hint: str = ""
    condition: dict = field(default_factory=dict)
    scale: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def anchor(self) -> str:
        """The id of the first control, for the error summary's link."""
        if (
            self.options
            and self.kind in ("single", "multiple")
            and not (self.question.dropdown and self.kind == "single")
        ):
            return f"{self.name}_{self.options[0].pk}"
        if self.kind == "ranking" and self.options:
            return f"{self.name}_c{self.options[0].pk}"
        if self.kind == "matrix" and self.rows:
            return f"{self.name}_r{self.rows[0]['pk']}_0"
        if self.kind == "rating" and self.scale:
            return f"{self.name}_{self.scale[0].pk}"
        if self.kind == "area":
            return f"{self.name}_district"
        return self.name


def _first(raw: dict, key: str) -> str:
    values = raw.get(key) or [""]
    return values[0]


def condition_hint(element, structure: Structure) -> str:
    if not element.has_condition:
        return ""
    source = structure.question(element.condition_question_id)
    if source is None:
        return ""
    if element.condition_number is not None and element.condition_choice_id is None:
        target = format(element.condition_number.normalize(), "f")
    else:
        options = {c.pk: c.text for c in structure.options.get(source.pk, [])}
        target = options.get(element.condition_choice_id, "")
    return _("Answer only if your answer to “%(q)s” %(op)s “%(v)s”.") % {
        "q": source.text,
        "op": element.get_condition_operator_display(),
        "v": target,
    }


def _options(question, structure, raw) -> list[Option]:
    name = question.field_name
    picked = set(raw.get(name, []))
    return [
        Option(
            pk=c.pk,
            text=c.text,
            checked=str(c.pk) in picked,
            is_other=c.is_other,
            rank=_first(raw, f"{name}_c{c.pk}"),
        )
        for c in structure.options.get(question.pk, [])
    ]


def _area_levels(question, raw) -> list[AreaLevel]:
    name = question.field_name
    picked = [
        _first(raw, f"{name}_{part}") for part in ("district", "street", "community")
    ]
    levels = [
        AreaLevel(
            "district",
            _("District or county"),
            list(civic_selectors.area_children(parent=None)),
            picked[0],
        )
    ]
    parent_ids = list(picked[:2])
    for index, (part, label) in enumerate(
        (("street", _("Street or township")), ("community", _("Community or village")))
    ):
        parent = parent_ids[index]
        areas = (
            list(Area.objects.filter(parent_id=int(parent)).order_by("code"))
            if parent.isdigit()
            else []
        )
        levels.append(AreaLevel(part, label, areas, picked[index + 1]))
    return levels


def question_view(question, structure, raw: dict, error: str = "") -> QuestionView:
    name = question.field_name
    view = QuestionView(
        question=question,
        name=name,
        error=error,
        value=_first(raw, name),
        other=_first(raw, f"{name}_other"),
        hint=condition_hint(question, structure),
    )
    if question.has_condition:
        view.condition = {
            "question": question.condition_question_id,
            "operator": question.condition_operator,
            "choice": question.condition_choice_id or "",
            "number": question.condition_number
            if question.condition_number is not None
            else "",
        }
    if question.kind in Question.CHOICE_KINDS:
        view.options = _options(question, structure, raw)
    if question.kind == Question.Kind.RATING:
        view.scale = [
            Option(pk=n, text=str(n), checked=view.value == str(n))
            for n in question.scale
        ]
    if question.kind == Question.Kind.MATRIX:
        view.rows = [
            {
                "pk": row.pk,
                "text": row.text,
                "cells": [
                    Option(
                        pk=c.pk,
                        text=c.text,
                        checked=_first(raw, f"{name}_r{row.pk}") == str(c.pk),
                    )
                    for c in structure.options.get(question.pk, [])
                ],
            }
            for row in structure.rows.get(question.pk, [])
        ]
    if question.kind == Question.Kind.AREA:
        view.levels = _area_levels(question, raw)
    return view


def page_questions(
    structure: Structure,
    page: Page,
    data: dict,
    errors: dict | None = None,
    show_all: bool = False,
) -> list[QuestionView]:
    """The questions of ``page`` to render for draft ``data``.

    A question whose condition rests on an earlier page is left out when it
    does not hold; one resting on this page is shown with a hint (and the
    page's script hides it while the condition does not hold).
    """
    errors = errors or {}
    answers, _errors = answering.cleaned_answers(structure, data)
    seen = logic.visibility(structure, answers)
    own = {q.pk for q in structure.page_questions(page)}
    views = []
    for question in structure.page_questions(page):
        same_page = question.has_condition and question.condition_question_id in own
        if question.pk not in seen.questions and not (same_page or show_all):
            continue
        raw = data.get(str(question.pk), {})
        views.append(
            question_view(question, structure, raw, errors.get(question.pk, ""))
        )
    return views


def progress(structure: Structure, data: dict, page: Page) -> dict:
    """ "Page n of m" over the pages the answers so far lead to."""
    answers, _errors = answering.cleaned_answers(structure, data)
    seen = logic.visibility(structure, answers)
    shown = [p for p in structure.pages if p.pk in seen.pages or p.pk == page.pk]
    number = next(i for i, p in enumerate(shown, start=1) if p.pk == page.pk)
    return {
        "number": number,
        "total": len(shown),
        "is_first": number == 1,
        "is_last": number == len(shown),
    }
