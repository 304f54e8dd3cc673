"""Cross-site scripting in a real browser: a list of payloads is posted as
comments and replies (through the site's forms), live questions and
written testimony (through their forms), suggestions (through the demands
service), survey open answers (through the survey services), display
names, an official's consultation description, document and attachment
title, and search queries; then every page that shows them is opened in
Chromium. No payload may run (no dialog, no Content-Security-Policy
violation in the console) and none may leave an element or attribute that
could run (inline scripts, event handlers, javascript: or data: links,
frames, objects)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import DISPLAY_NAME_MAX_LENGTH
from consultations.models import Attachment
from consultations.services import lifecycle
from demands.services import suggestions as suggestion_services
from surveys.models import Question, Survey
from tests.e2e.test_consultation_official import logged_in_context
from tests.factories import ConsultationFactory, UserFactory, official
from tests.hearings.factories import HearingFactory
from tests.surveys.factories import PageFactory, SurveyFactory, respond
from tests.surveys.factories import QuestionFactory as SurveyQuestionFactory

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">点我 click</a>',
    "[点我](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    "＜script＞alert(1)＜/script＞",
    "＜img src=x onerror=alert(1)＞",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "{{ 7|add:7 }}{% debug %}",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "`<img src=x onerror=alert(1)>`",
    "<a href=x onmouseover=alert(1)>悬停 hover</a>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

# What could run if the server had let a payload through as markup.
FIND_INJECTED = """() => {
  const bad = [];
  const risky = /^(javascript|vbscript|data:text\\/html)/;
  for (const el of document.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      if (/^on/i.test(name)) bad.push(el.outerHTML.slice(0, 160));
      const urls = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'];
      if (urls.includes(name)) {
        const value = (el.getAttribute(name) || '').toLowerCase()
          .replace(/[\\s\\u0000-\\u001f]/g, '');
        if (risky.test(value)) bad.push(el.outerHTML.slice(0, 160));
      }
    }
  }
  const tags = 'script:not([src]), iframe, object, embed, base, meta[http-equiv]';
  for (const el of document.querySelectorAll(tags)) {
    bad.push(el.outerHTML.slice(0, 160));
  }
  return bad;
}"""


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)


def _posted_everywhere(live_server):
    """Every payload through each way in; the pages that show them."""
    consultation = ConsultationFactory(open=True, title="XSS 测试 consultation")
    hearing = HearingFactory(live=True, consultation=consultation)
    survey = SurveyFactory(
        open=True, mode=Survey.Mode.ANONYMOUS, results_published_at=timezone.now()
    )
    text_question = SurveyQuestionFactory(
        page=PageFactory(survey=survey),
        kind=Question.Kind.LONG_TEXT,
        required=False,
    )
    suggestions = []
    for n, payload in enumerate(PAYLOADS):
        author = UserFactory(display_name=payload[:DISPLAY_NAME_MAX_LENGTH])
        client = Client()
        client.force_login(author)
        _post(
            client,
            reverse("consultations:comment_create", args=[consultation.pk]),
            {
                "stance": "suggestion",
                "section": "",
                "body": payload,
                "idempotency_key": str(uuid.uuid4()),
            },
        )
        comment = consultation.comments.filter(author=author).get()
        _post(
            client,
            reverse("consultations:comment_reply", args=[consultation.pk, comment.pk]),
            {"body": f"回复 {payload}", "idempotency_key": str(uuid.uuid4())},
        )
        _post(
            client,
            reverse("hearings:question_post", args=[hearing.pk]),
            {"body": payload, "idempotency_key": str(uuid.uuid4())},
        )
        _post(
            client, reverse("hearings:testimony", args=[hearing.pk]), {"body": payload}
        )
        suggestions.append(
            suggestion_services.suggestion_create(
                author=author, title=payload[:100], body=payload
            )
        )
        respond(
            survey,
            {text_question: {text_question.field_name: [payload]}},
            browser=f"xss-browser-{n}",
        )
    hearing.questions.update(status="visible")
    owner = official(consultation.department)
    draft = ConsultationFactory(department=consultation.department)
    lifecycle.consultation_update(
        user=owner,
        consultation=draft,
        title="官员草案 official draft",
        summary=PAYLOADS[0],
        body="\n\n".join(PAYLOADS),
    )
    lifecycle.document_replace(
        user=owner,
        consultation=draft,
        markdown="\n\n".join(f"第{i}条 {p}" for i, p in enumerate(PAYLOADS, 1)),
    )
    for payload in PAYLOADS[:10]:
        Attachment.objects.create(
            consultation=draft, title=payload[:200], file="consultations/x.pdf", size=9
        )
    pages = [
        reverse("consultations:detail", args=[consultation.pk]),
        reverse("consultations:comments", args=[consultation.pk]),
        *[
            reverse("consultations:comment", args=[consultation.pk, c.pk])
            for c in consultation.comments.filter(parent__isnull=True)[:5]
        ],
        reverse("hearings:detail", args=[hearing.pk]),
        reverse("hearings:live", args=[hearing.pk]),
        reverse("surveys:open_answers", args=[survey.pk, text_question.pk]),
        reverse("demands:suggestions"),
        *[reverse("demands:suggestion", args=[s.pk]) for s in suggestions[:5]],
        reverse("consultations_console:preview", args=[draft.pk]),
    ]
    searches = [
        f"{path}?q={payload}"
        for path in ("/consultations/", "/hearings/", "/demands/", "/surveys/")
        for payload in PAYLOADS[:8]
    ]
    return pages, searches, owner


def _check(page, url) -> list[str]:
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(url)
    page.wait_for_load_state("load")
    page.mouse.move(200, 300)
    injected = page.evaluate(FIND_INJECTED)
    problems = [f"dialog: {d}" for d in dialogs]
    problems += [f"CSP: {v}" for v in violations]
    problems += [f"element: {e}" for e in injected]
    return [f"{url}: {p}" for p in problems]


@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_or_is_reflected_as_markup(browser, live_server, settings):
    settings.RATE_LIMITS = (
        ",".join(
            f"{a}=100000/60,{a}:ip=100000/60"
            for a in ("comment", "reply", "question", "testimony", "suggestion")
        )
        + ",survey_answer:ip=100000/60"
    )
    settings.MODERATION_NEW_ACCOUNT_DAYS = 0
    assert len(PAYLOADS) >= 30
    pages, searches, owner = _posted_everywhere(live_server)

    problems, shown = [], 0
    visitor = browser.new_context(locale="en-US").new_page()
    for path in pages[:-1] + searches:
        problems += _check(visitor, f"{live_server.url}{path}")
        shown += "alert(1)" in visitor.inner_text("body")
    official_page = logged_in_context(browser, live_server, owner).new_page()
    problems += _check(official_page, f"{live_server.url}{pages[-1]}")
    shown += "alert(1)" in official_page.inner_text("body")

    assert problems == [], "\n".join(problems)
    # The payloads are on the pages, as text.
    assert shown >= len(pages) - 1


def test_the_checks_catch_a_payload_that_runs(browser):
    """The same checks on a page without escaping or a CSP do fire."""
    page = browser.new_context().new_page()
    problems = _check(page, "data:text/html,<p>x</p><img src=x onerror=alert(1)>")
    assert any("dialog" in p for p in problems)
    assert any("element" in p for p in problems)
