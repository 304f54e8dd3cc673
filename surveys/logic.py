"""Survey logic: which pages and questions a respondent is shown, and the
check that refuses cycles and conditions on later questions.

Pure functions over a ``Structure`` and cleaned answers (see
``surveys.validation``); no database access, so the page, the services and
the property tests all evaluate exactly the same rules.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from surveys.models import Choice, Page, Question

Operator = Question.Operator
Kind = Question.Kind

# Which operators each kind of source question supports.
OPERATORS_FOR_KIND = {
    Kind.SINGLE: {Operator.EQUALS, Operator.INCLUDES},
    Kind.MULTIPLE: {Operator.EQUALS, Operator.INCLUDES},
    Kind.RATING: {Operator.EQUALS, Operator.GREATER},
    Kind.NUMBER: {Operator.EQUALS, Operator.GREATER},
}


@dataclass
class Structure:
    """A survey's pages in order, each page's questions in order, and each
    question's options and matrix rows in order."""

    pages: list[Page]
    questions: dict[int, list[Question]] = field(default_factory=dict)
    options: dict[int, list[Choice]] = field(default_factory=dict)
    rows: dict[int, list[Choice]] = field(default_factory=dict)

    def page_questions(self, page: Page) -> list[Question]:
        return self.questions.get(page.pk, [])

    def ordered_questions(self) -> list[Question]:
        return [q for page in self.pages for q in self.page_questions(page)]

    def question(self, pk) -> Question | None:
        for question in self.ordered_questions():
            if question.pk == pk:
                return question
        return None


@dataclass(frozen=True)
class Visibility:
    pages: frozenset
    questions: frozenset


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def matches(element, source: Question, answer: dict | None) -> bool:
    """Whether ``answer`` (the cleaned answer to ``source``) satisfies the
    condition of ``element`` (a page or question)."""
    if not answer:
        return False
    operator = element.condition_operator
    if source.kind in (Kind.SINGLE, Kind.MULTIPLE):
        chosen = (
            [answer.get("choice")]
            if source.kind == Kind.SINGLE
            else list(answer.get("choices", []))
        )
        target = element.condition_choice_id
        if operator == Operator.EQUALS and source.kind == Kind.MULTIPLE:
            return chosen == [target]
        return operator in (Operator.EQUALS, Operator.INCLUDES) and target in chosen
    if source.kind in (Kind.RATING, Kind.NUMBER):
        value = _number(answer.get("number"))
        target = _number(element.condition_number)
        if value is None or target is None:
            return False
        if operator == Operator.EQUALS:
            return value == target
        if operator == Operator.GREATER:
            return value > target
    return False


def _condition_holds(element, shown: set, answers: dict, by_id: dict) -> bool:
    if not element.has_condition:
        return True
    source_id = element.condition_question_id
    source = by_id.get(source_id)
    if source is None or source_id not in shown:
        return False
    return matches(element, source, answers.get(source_id))


def visibility(structure: Structure, answers: dict) -> Visibility:
    """The pages and questions shown for ``answers`` ({question id: cleaned
    answer}). A condition on a hidden or unanswered question is false."""
    by_id = {q.pk: q for q in structure.ordered_questions()}
    pages, shown = set(), set()
    for page in structure.pages:
        if not _condition_holds(page, shown, answers, by_id):
            continue
        pages.add(page.pk)
        for question in structure.page_questions(page):
            if _condition_holds(question, shown, answers, by_id):
                shown.add(question.pk)
    return Visibility(frozenset(pages), frozenset(shown))


def prune(answers: dict, seen: Visibility) -> dict:
    """Only the answers to questions that were shown."""
    return {pk: value for pk, value in answers.items() if pk in seen.questions}


def _describe(element) -> str:
    if isinstance(element, Page):
        return _("page “%(title)s”") % {"title": element}
    return _("question “%(text)s”") % {"text": element.text}


def logic_errors(structure: Structure) -> list[str]:
    """Why the logic cannot be used, or an empty list.

    Each condition must name an earlier question of the survey (a page's
    condition, a question on an earlier page), with an operator that suits
    that question and an option of that question.
    """
    ordered = structure.ordered_questions()
    order = {q.pk: index for index, q in enumerate(ordered)}
    page_of = {q.pk: q.page_id for q in ordered}
    page_order = {p.pk: index for index, p in enumerate(structure.pages)}
    elements = [(p, None) for p in structure.pages] + [(q, q.pk) for q in ordered]
    errors = []
    cycle = _cycle(elements)
    if cycle:
        errors.append(
            _("The conditions form a cycle: %(chain)s.")
            % {"chain": " → ".join(_describe(e) for e in cycle)}
        )
    for element, own_id in elements:
        if not element.has_condition:
            continue
        source_id = element.condition_question_id
        if source_id not in order:
            errors.append(
                _(
                    "The condition of %(what)s refers to a question that is not "
                    "in this survey."
                )
                % {"what": _describe(element)}
            )
            continue
        if own_id is None:
            earlier = page_order[page_of[source_id]] < page_order[element.pk]
        else:
            earlier = order[source_id] < order[own_id]
        if not earlier:
            errors.append(
                _(
                    "The condition of %(what)s refers to a later question; a "
                    "condition can only use an earlier answer."
                )
                % {"what": _describe(element)}
            )
            continue
        errors.extend(_operator_errors(element, structure, by_id=ordered))
    return errors


def _operator_errors(element, structure: Structure, by_id) -> list[str]:
    source = next(q for q in by_id if q.pk == element.condition_question_id)
    allowed = OPERATORS_FOR_KIND.get(source.kind, set())
    what = _describe(element)
    if element.condition_operator not in allowed:
        return [
            _("The condition of %(what)s cannot use “%(op)s” with that question.")
            % {"what": what, "op": element.get_condition_operator_display()}
        ]
    if source.kind in (Kind.SINGLE, Kind.MULTIPLE):
        options = {c.pk for c in structure.options.get(source.pk, [])}
        if element.condition_choice_id not in options:
            return [
                _("The condition of %(what)s must name one of that question's options.")
                % {"what": what}
            ]
    elif element.condition_number is None:
        return [_("The condition of %(what)s needs a number.") % {"what": what}]
    return []


def _cycle(elements) -> list:
    """A chain of conditions that leads back to where it started, if any.

    A page depends on its condition's question; a question on its page and
    on its condition's question.
    """
    pages = {e.pk: e for e, own in elements if own is None}
    questions = {own: e for e, own in elements if own is not None}

    def depends_on(node):
        kind, pk = node
        element = pages.get(pk) if kind == "page" else questions.get(pk)
        if element is None:
            return []
        targets = []
        if kind == "question" and element.page_id in pages:
            targets.append(("page", element.page_id))
        if element.has_condition and element.condition_question_id in questions:
            targets.append(("question", element.condition_question_id))
        return targets

    nodes = [("page", pk) for pk in pages] + [("question", pk) for pk in questions]
    state: dict = {}
    for start in nodes:
        if start in state:
            continue
        stack = [(start, iter(depends_on(start)))]
        path = [start]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                stack.pop()
                path.pop()
            elif state.get(child) == "open":
                loop = [*path[path.index(child) :], child]
                return [
                    pages[pk] if kind == "page" else questions[pk] for kind, pk in loop
                ]
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append((child, iter(depends_on(child))))
    return []
