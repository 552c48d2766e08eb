"""The satisfaction survey in a real browser (issue 19, point 5): the party answers through the
link from its email in its own language, a used link explains itself, the mediator reads the
comment, and the report shows the answers once there are 5; axe in Dutch and English at 1280
and 320 px (no sideways scrolling)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.services import case_transition
from mediation.models import OutboxMessage
from mediation.outbox import outbox_open
from parties.models import Party
from surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "nl": {
        "title": "Hoe was uw mediation?",
        "missing": "Kies een van de antwoorden.",
        "impartial": "Was de mediator onpartijdig?",
        "yes": "Ja",
        "partly": "Gedeeltelijk",
        "no_agreement": "We hebben geen afspraken gemaakt",
        "send": "Mijn antwoorden versturen",
        "thanks": "Uw antwoorden zijn opgeslagen.",
        "used": "De link werkt maar één keer.",
        "survey": "Tevredenheidsvragenlijst",
        "answers": "Antwoorden op de vragenlijst",
        "report": "Uit 6 anonieme antwoorden",
    },
    "en": {
        "title": "How was your mediation?",
        "missing": "Choose one of the answers.",
        "impartial": "Was the mediator impartial?",
        "yes": "Yes",
        "partly": "Partly",
        "no_agreement": "We made no agreements",
        "send": "Send my answers",
        "thanks": "Your answers were saved.",
        "used": "The link works only once.",
        "survey": "Satisfaction survey",
        "answers": "Survey answers",
        "report": "From 6 anonymous answers",
    },
}
COMMENT = "De mediator luisterde goed <b>echt</b>."


def survey_link(case) -> str:
    """The link in the survey email, as the party received it."""
    [message] = [outbox_open(m) for m in OutboxMessage.objects.filter(purpose="survey")]
    assert case.reference in message.subject
    return re.search(r"http\S+/survey/\S+/", message.body).group(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_party_answers_the_survey_and_the_mediator_reads_it(
    browser, live_server, settings, personas, in_sessions, log_in, check_reflow, lang
):
    settings.TAFEL_BASE_URL = live_server.url
    Party.objects.filter(name="Jan de Vries").update(preferred_language=lang)
    case = case_transition(
        case=in_sessions, name="end_without_agreement", actor=personas.mediator, reason="Klaar."
    )
    words = TEXT[lang]

    # The party, in a browser of its own (its language comes from the invitation).
    page = browser.new_context().new_page()
    page.goto(survey_link(case))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    check_reflow(page, f"survey-{lang}")

    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".form-errors")).to_contain_text(words["missing"])
    check_reflow(page, f"survey-missing-{lang}")

    for question in ("impartial", "heard", "recommend"):
        page.locator(f"input[name={question}][value=yes]").check()
    page.get_by_role("group", name=words["impartial"]).get_by_label(words["partly"]).check()
    page.get_by_label(words["no_agreement"]).check()
    page.locator("textarea[name=comment]").fill(COMMENT)
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["thanks"])
    check_reflow(page, f"survey-thanks-{lang}")
    [response] = SurveyResponse.objects.all()
    assert response.impartial == "partly"

    page.goto(survey_link(case))
    expect(page.get_by_role("alert")).to_contain_text(words["used"])
    check_reflow(page, f"survey-used-{lang}")
    page.context.close()

    # The mediator, from the case page.
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=words["answers"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["survey"])
    expect(page.locator("main")).to_contain_text(COMMENT)
    check_reflow(page, f"survey-mediator-{lang}")
    page.context.close()

    # The supervisor's report, once there are enough answers.
    for _ in range(5):
        SurveyResponse.objects.create(
            case=case,
            month=timezone.localdate().replace(day=1),
            impartial="yes",
            heard="yes",
            recommend="maybe",
            agreements_working="no_agreement",
        )
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")
    today = timezone.localdate()
    page.goto(f"{live_server.url}/reports/?start={today.replace(day=1, month=1)}&end={today}")
    expect(page.locator("main")).to_contain_text(words["report"])
    expect(page.locator("svg.bar-chart[role=img]")).to_have_count(9)
    check_reflow(page, f"survey-report-{lang}")
    page.context.close()
