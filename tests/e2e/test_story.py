"""The main story of a case, from referral to closing, in a real browser, in Dutch and English.

A coordinator refers a conflict; a supervisor assigns a mediator, who declares no conflict of
interest and accepts; the mediator adds the participants, records their consent, plans a joint
session; a party answers the invite from the development mailbox; the mediator writes a note,
marks the session held, drafts the agreement, records the approvals, reviews the action at
follow-up and closes the case; the coordinator then sees the status and the outcome only.

axe-core checks every page the story visits. The referral, the scheduling and the party's answer
are done with the keyboard only (Tab, Shift+Tab, typing, Space, Enter, arrow keys), and focus
must be visible at each submit button.
"""

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mediation.outbox import outbox_drain
from scheduling.models import Session

# What the pages say, per language: English source strings and their Dutch translations
# (locale/nl/LC_MESSAGES/django.po). Role and label locators fail when a form loses its labels.
TEXT = {
    "en": {
        "refer_link": "Refer a conflict",
        "title": "Title",
        "organisation": "Referring organisation",
        "reason": "Reason for referral",
        "party_1": "Party 1",
        "name": "Name",
        "email": "Email address",
        "send_referral": "Send the referral",
        "lead": "Lead mediator",
        "check": "Check for conflicts of interest",
        "confirm_assignment": "Confirm the assignment",
        "declare_link": "Declare a conflict of interest, or that there is none",
        "no_conflict": "No conflict of interest",
        "record_declaration": "Record my declaration",
        "accept": "Accept the case",
        "add_participant": "Add a participant",
        "person": "Person",
        "government": "Government body",
        "preferred_language": "Preferred language",
        "language": "English",
        "representative": "Representative",
        "speaks_for": "Speaks for",
        "add_the_participant": "Add the participant",
        "consent": "Consent",
        "confidentiality": "Confidentiality statement",
        "record": "Record",
        "start_sessions": "Start the sessions",
        "plan_session": "Plan a session",
        "date": "Date",
        "start_time": "Start time",
        "end_time": "End time",
        "place": "Place",
        "plan_and_send": "Plan and send the invitations",
        "i_will_come": "I will come",
        "send_answer": "Send my answer",
        "answer_recorded": "Thank you: your answer was recorded.",
        "accepted": "Accepted",
        "write_note": "Write a note",
        "note_title": "Title",
        "note_text": "Text",
        "save_note": "Save the note",
        "mark_held": "Mark as held",
        "reach_agreement": "Record that the parties reached an agreement",
        "agreement_link": "Agreement, follow-up and summary",
        "write_agreement": "Write the agreement",
        "agreement_text": "What the parties agreed",
        "save_agreement": "Save the agreement",
        "add_action": "Add an action",
        "action_text": "What will be done",
        "by_when": "By when",
        "add_the_action": "Add the action",
        "record_answer_of": "Record the answer of {name}",
        "approved": "Approved",
        "on_paper": "Signed on paper",
        "record_answer": "Record the answer",
        "start_follow_up": "Start the follow-up",
        "review_action": "Review action 1",
        "done": "Done",
        "comment": "Comment",
        "save_review": "Save the review",
        "close": "Close the case",
        "full_agreement": "Full agreement",
        "confirm_close": "Confirm: Close the case",
        "closed": "Closed",
    },
    "nl": {
        "refer_link": "Conflict aanmelden",
        "title": "Titel",
        "organisation": "Aanmeldende organisatie",
        "reason": "Reden van aanmelding",
        "party_1": "Partij 1",
        "name": "Naam",
        "email": "E-mailadres",
        "send_referral": "Aanmelding versturen",
        "lead": "Hoofdmediator",
        "check": "Controleren op belangenverstrengeling",
        "confirm_assignment": "Toewijzing bevestigen",
        "declare_link": "Verklaren of er belangenverstrengeling is",
        "no_conflict": "Geen belangenverstrengeling",
        "record_declaration": "Mijn verklaring vastleggen",
        "accept": "Zaak accepteren",
        "add_participant": "Deelnemer toevoegen",
        "person": "Persoon",
        "government": "Overheidsorgaan",
        "preferred_language": "Voorkeurstaal",
        "language": "Nederlands",
        "representative": "Gemachtigde",
        "speaks_for": "Spreekt namens",
        "add_the_participant": "Deelnemer toevoegen",
        "consent": "Toestemming",
        "confidentiality": "Geheimhoudingsverklaring",
        "record": "Vastleggen",
        "start_sessions": "Gesprekken starten",
        "plan_session": "Een gesprek plannen",
        "date": "Datum",
        "start_time": "Begintijd",
        "end_time": "Eindtijd",
        "place": "Plaats",
        "plan_and_send": "Plannen en uitnodigingen versturen",
        "i_will_come": "Ik kom",
        "send_answer": "Mijn antwoord versturen",
        "answer_recorded": "Bedankt: uw antwoord is vastgelegd.",
        "accepted": "Aangenomen",
        "write_note": "Een aantekening schrijven",
        "note_title": "Titel",
        "note_text": "Tekst",
        "save_note": "Aantekening opslaan",
        "mark_held": "Markeren als gehouden",
        "reach_agreement": "Vastleggen dat de partijen overeenstemming hebben bereikt",
        "agreement_link": "Overeenkomst, nazorg en samenvatting",
        "write_agreement": "Overeenkomst schrijven",
        "agreement_text": "Wat de partijen hebben afgesproken",
        "save_agreement": "Overeenkomst opslaan",
        "add_action": "Een afspraak toevoegen",
        "action_text": "Wat er gaat gebeuren",
        "by_when": "Uiterlijk op",
        "add_the_action": "Afspraak toevoegen",
        "record_answer_of": "Antwoord van {name} vastleggen",
        "approved": "Goedgekeurd",
        "on_paper": "Op papier ondertekend",
        "record_answer": "Antwoord vastleggen",
        "start_follow_up": "Nazorg starten",
        "review_action": "Afspraak 1 evalueren",
        "done": "Gedaan",
        "comment": "Opmerking",
        "save_review": "Evaluatie opslaan",
        "close": "Zaak afsluiten",
        "full_agreement": "Volledige overeenstemming",
        "confirm_close": "Bevestigen: Zaak afsluiten",
        "closed": "Afgesloten",
    },
}

# The people and the confidential content of the story; the coordinator must see none of it.
REFERRED_PARTY = "Anna Bakker"
RESIDENT = "Jan de Vries"
RESIDENT_EMAIL = "jan.devries@example.nl"
MUNICIPALITY = "Gemeente Utrecht, afdeling Groen"
REPRESENTATIVE = "Pieter Jansen"
PEOPLE = (REFERRED_PARTY, RESIDENT, MUNICIPALITY, REPRESENTATIVE)
NOTE_TEXT = "Beide partijen luisterden; de toon werd milder."
AGREEMENT_TEXT = "De gemeente en de bewoners maken samen een plan voor het park."
ACTION_TEXT = "De gemeente plaatst twee nieuwe bankjes bij de vijver."


# Keyboard helpers.


def tab_to(page, target, *, limit: int = 120) -> None:
    """Press Tab, or Shift+Tab for a target before the focus, until `target` has the focus.

    Fails when the keyboard cannot reach it, or when the focus on it is not visible.
    """
    target.wait_for()
    before = target.evaluate(
        "el => Boolean(document.activeElement.compareDocumentPosition(el)"
        " & Node.DOCUMENT_POSITION_PRECEDING)"
    )
    key = "Shift+Tab" if before else "Tab"
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            assert_focus_visible(page)
            return
        page.keyboard.press(key)
    raise AssertionError(f"The keyboard cannot reach {target} ({page.url})")


def assert_focus_visible(page) -> None:
    """The focused element draws an outline (WCAG 2.4.7)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: s.outlineWidth,"
        " tag: document.activeElement.outerHTML.slice(0, 80)}; }"
    )
    visible = style["style"] != "none" and style["width"] != "0px"
    assert visible, f"focus is not visible on {style['tag']} ({page.url})"


def assert_no_form_errors(page) -> None:
    errors = page.locator(".form-errors").all_inner_texts()
    assert not errors, f"{page.url}: {errors}"


def submit_by_keyboard(page, button) -> None:
    """Tab to the submit button (its focus visible), press Enter; the form must be accepted."""
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_form_errors(page)


def keyboard_formats(context) -> tuple[str, bool]:
    """How this Chromium orders the parts of a date field, and whether its clock has 12 hours.

    Both follow the browser's own language (the machine's), not the page's, so the test asks.
    """
    probe = context.new_page()
    probe.set_content('<input type="date" id="d"><input type="time" id="t">')
    probe.focus("#d")
    probe.keyboard.type("01022003")
    typed = probe.eval_on_selector("#d", "e => e.value")
    orders = {"2003-01-02": "mdy", "2003-02-01": "dmy"}
    assert typed in orders, f"unknown date field order in this Chromium: {typed}"
    order = orders[typed]
    probe.focus("#t")
    probe.keyboard.type("0230PM")  # a 24-hour clock ignores the PM
    twelve_hour = probe.eval_on_selector("#t", "e => e.value") == "14:30"
    probe.close()
    return order, twelve_hour


def date_keys(day: date, order: str) -> str:
    parts = {"d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": f"{day.year:04d}"}
    return "".join(parts[letter] for letter in order)


def time_keys(moment: time, twelve_hour: bool) -> str:
    if not twelve_hour:
        return f"{moment:%H%M}"
    return f"{moment:%I%M}" + ("AM" if moment.hour < 12 else "PM")


# Other helpers.


def log_out(page) -> None:
    page.locator("header form button[type=submit]").click()


def labelled(scope, text: str):
    """The field whose label says `text` (Django adds a colon to most labels)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}:?\s*$"))


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


def case_id_from(url: str) -> int:
    return int(re.search(r"/cases/(\d+)/", url).group(1))


@pytest.fixture
def mailbox(settings, tmp_path, live_server):
    """Mail goes to a development mailbox in a temporary folder; its links point here."""
    settings.EMAIL_BACKEND = "mediation.mail.DevMailboxBackend"
    settings.VAR_DIR = tmp_path
    settings.TAFEL_BASE_URL = live_server.url
    return tmp_path / "mailbox"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_case_goes_from_referral_to_closing_accessibly_and_by_keyboard(
    browser, live_server, personas, kind, mailbox, check_accessibility, log_in, lang
):
    t = TEXT[lang]
    url = live_server.url
    context = browser.new_context(locale=lang)
    context.set_default_timeout(10_000)
    page = context.new_page()
    date_order, twelve_hour = keyboard_formats(context)

    def check(name: str) -> None:
        check_accessibility(page, f"story-{name}-{lang}")

    page.goto(f"{url}/accounts/login/")
    check("login")

    # 1. The coordinator refers a conflict, with the keyboard only.
    log_in(page, url, "coordinator")
    check("overview-coordinator")
    tab_to(page, page.get_by_role("navigation").get_by_role("link", name=t["refer_link"]))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cases/refer/")
    check("refer")
    tab_to(page, labelled(page, kind.name_nl if lang == "nl" else kind.name_en))
    page.keyboard.press("Space")
    tab_to(page, labelled(page, t["title"]))
    page.keyboard.type("Wantrouwen rond het Julianapark")
    tab_to(page, labelled(page, t["organisation"]))
    page.keyboard.type("Gemeente Utrecht")
    tab_to(page, labelled(page, t["reason"]))
    page.keyboard.type("Bewoners en gemeente praten langs elkaar heen over het park.")
    first_party = page.get_by_role("group", name=t["party_1"])
    tab_to(page, labelled(first_party, t["name"]))
    page.keyboard.type(REFERRED_PARTY)
    submit_by_keyboard(page, button(page, t["send_referral"]))
    expect(page.locator("h1")).to_contain_text("MED-")
    case_id = case_id_from(page.url)
    case_url = f"{url}/cases/{case_id}/"
    check("case-coordinator-referred")
    log_out(page)
    check("logged-out")

    # 2. The supervisor assigns the mediator after checking for conflicts of interest.
    log_in(page, url, "supervisor")
    check("overview-supervisor")
    page.goto(f"{case_url}assign/")
    check("assign")
    labelled(page, t["lead"]).select_option(str(personas.mediator.pk))
    button(page, t["check"]).click()
    check("assign-matches")
    button(page, t["confirm_assignment"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("assigned")
    log_out(page)

    # 3. The mediator declares no conflict of interest and accepts the case.
    log_in(page, url, "mediator")
    check("overview-mediator")
    page.goto(case_url)
    check("case-mediator-referred")
    page.get_by_role("link", name=t["declare_link"]).click()
    check("declare")
    labelled(page, t["no_conflict"]).check()
    button(page, t["record_declaration"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("declared")
    button(page, t["accept"]).click()
    expect(page.locator(".badge-intake")).to_be_visible()
    check("case-intake")

    # 4. Two more parties and a representative; consent and confidentiality for each.
    def add_participant(name, *, kind_label, email="", representative_of=""):
        page.goto(case_url)
        page.get_by_role("link", name=t["add_participant"]).click()
        labelled(page, kind_label).check()
        labelled(page, t["name"]).fill(name)
        if email:
            labelled(page, t["email"]).fill(email)
        labelled(page, t["preferred_language"]).select_option(label=t["language"])
        if representative_of:
            labelled(page, t["representative"]).check()
            labelled(page, t["speaks_for"]).select_option(label=representative_of)
        check(f"participant-add-{slug(name)}")
        button(page, t["add_the_participant"]).click()
        expect(page.locator(".message-success")).to_be_visible()

    add_participant(RESIDENT, kind_label=t["person"], email=RESIDENT_EMAIL)
    add_participant(MUNICIPALITY, kind_label=t["government"])
    add_participant(REPRESENTATIVE, kind_label=t["person"], representative_of=RESIDENT)
    check("case-participants")

    for name, link in (
        (REFERRED_PARTY, t["consent"]),
        (RESIDENT, t["consent"]),
        (MUNICIPALITY, t["consent"]),
        (REPRESENTATIVE, t["confidentiality"]),
    ):
        page.goto(case_url)
        page.get_by_role("link", name=re.compile(rf"^{link}\W+{re.escape(name)}$")).click()
        check(f"consent-{slug(name)}")
        button(page, t["record"]).click()
        expect(page.locator(".message-success")).to_be_visible()

    page.goto(case_url)
    button(page, t["start_sessions"]).click()
    expect(page.locator(".badge-sessions")).to_be_visible()
    check("case-sessions")

    # 5. The mediator plans a joint session, with the keyboard only.
    tab_to(page, page.locator("main").get_by_role("link", name=t["plan_session"]))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{case_url}sessions/new/")
    check("schedule")
    # The first kind is the individual intake; the arrow selects the next, the joint session.
    tab_to(page, page.locator("input[name=kind]").first)
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=kind][value=joint]")).to_be_checked()
    tomorrow = timezone.localdate() + timedelta(days=1)
    tab_to(page, labelled(page, t["date"]))
    page.keyboard.type(date_keys(tomorrow, date_order))
    tab_to(page, labelled(page, t["start_time"]))
    page.keyboard.type(time_keys(time(10, 0), twelve_hour))
    tab_to(page, labelled(page, t["end_time"]))
    page.keyboard.type(time_keys(time(11, 30), twelve_hour))
    tab_to(page, labelled(page, t["place"]))
    page.keyboard.type("Buurthuis De Linde, Lindelaan 4, Utrecht")
    for name in PEOPLE:
        invitee = page.get_by_label(name)
        tab_to(page, invitee)
        page.keyboard.press("Space")
        expect(invitee).to_be_checked()
    submit_by_keyboard(page, button(page, t["plan_and_send"]))
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session_url = page.url
    session_id = int(re.search(r"/sessions/(\d+)/", session_url).group(1))
    check("session-planned")

    # 6. The invite arrives; the resident answers from the mailbox, with the keyboard only.
    outbox_drain()
    party_page = browser.new_context(locale=lang).new_page()
    party_page.goto(f"{url}/dev/mailbox/")
    check_accessibility(party_page, f"story-mailbox-{lang}")
    invite = party_page.get_by_role("row").filter(has_text=RESIDENT_EMAIL).get_by_role("link")
    tab_to(party_page, invite)
    party_page.keyboard.press("Enter")
    party_page.wait_for_url(re.compile(r"/dev/mailbox/.+\.eml/$"))
    check_accessibility(party_page, f"story-mailbox-invite-{lang}")
    tab_to(party_page, party_page.locator("main a[href*='answer=accepted']"))
    party_page.keyboard.press("Enter")
    party_page.wait_for_url(re.compile(r"/invite/"))
    expect(labelled(party_page, t["i_will_come"])).to_be_checked()
    check_accessibility(party_page, f"story-rsvp-{lang}")
    submit_by_keyboard(party_page, button(party_page, t["send_answer"]))
    expect(party_page.get_by_role("status")).to_have_text(t["answer_recorded"])
    check_accessibility(party_page, f"story-rsvp-done-{lang}")
    party_page.context.close()

    # 7. The mediator sees the answer, writes a note and marks the session held.
    page.goto(session_url)
    resident_row = page.get_by_role("row").filter(has_text=RESIDENT).first
    expect(resident_row).to_contain_text(t["accepted"])
    check("session-answered")

    page.goto(case_url)
    page.get_by_role("link", name=t["write_note"]).click()
    check("note-form")
    labelled(page, t["note_title"]).fill("Eerste gezamenlijke gesprek")
    labelled(page, t["note_text"]).fill(NOTE_TEXT)
    button(page, t["save_note"]).click()
    check("note-saved")

    # The plan form refuses a start in the past on purpose, so the session was planned for
    # tomorrow; move it two hours back here, as if the day had come, so it can be marked held.
    started = timezone.now() - timedelta(hours=2)
    Session.objects.filter(pk=session_id).update(
        starts_at=started, ends_at=started + timedelta(hours=1)
    )
    page.goto(session_url)
    button(page, t["mark_held"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("session-held")

    # 8. Agreement: reached, written with one action, approved by every party.
    page.goto(case_url)
    button(page, t["reach_agreement"]).click()
    expect(page.locator(".badge-agreement")).to_be_visible()
    check("case-agreement")
    page.get_by_role("link", name=t["agreement_link"]).click()
    check("agreement-empty")
    page.get_by_role("link", name=t["write_agreement"]).click()
    check("agreement-write")
    labelled(page, t["agreement_text"]).fill(AGREEMENT_TEXT)
    button(page, t["save_agreement"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("agreement-written")
    page.get_by_role("link", name=t["add_action"]).click()
    check("action-add")
    labelled(page, t["action_text"]).fill(ACTION_TEXT)
    labelled(page, MUNICIPALITY).check()
    labelled(page, t["by_when"]).fill((timezone.localdate() + timedelta(days=30)).isoformat())
    button(page, t["add_the_action"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("agreement-drafted")

    for name in (REFERRED_PARTY, RESIDENT, MUNICIPALITY):
        page.get_by_role("link", name=t["record_answer_of"].format(name=name)).click()
        check(f"approval-record-{slug(name)}")
        labelled(page, t["approved"]).check()
        labelled(page, t["on_paper"]).check()
        button(page, t["record_answer"]).click()
        expect(page.locator(".message-success")).to_be_visible()
    check("agreement-approved")

    # 9. Follow-up: the action is reviewed, and the case closes with its outcome.
    page.goto(case_url)
    button(page, t["start_follow_up"]).click()
    expect(page.locator(".badge-follow_up")).to_be_visible()
    check("case-follow-up")
    page.get_by_role("link", name=t["agreement_link"]).click()
    page.get_by_role("link", name=t["review_action"]).click()
    check("action-review")
    labelled(page, t["done"]).check()
    labelled(page, t["comment"]).fill("De bankjes staan er.")
    button(page, t["save_review"]).click()
    expect(page.locator(".message-success")).to_be_visible()
    check("agreement-reviewed")

    page.goto(case_url)
    page.locator("details.confirm summary", has_text=t["close"]).click()
    labelled(page, t["full_agreement"]).check()
    check("case-close")
    button(page, t["confirm_close"]).click()
    expect(page.locator(".badge-closed")).to_be_visible()
    check("case-closed-mediator")
    log_out(page)

    # 10. The coordinator sees the status and the outcome, and none of the content.
    log_in(page, url, "coordinator")
    check("overview-coordinator-closed")
    page.goto(case_url)
    expect(page.locator(".badge-closed")).to_have_text(t["closed"])
    expect(page.locator("main")).to_contain_text(t["full_agreement"])
    check("case-coordinator-closed")
    html = page.content()
    # The coordinator reads back the party they named in the referral; the people the
    # mediators added, the notes and the agreement stay out of sight.
    assert REFERRED_PARTY in html
    added_later = [name for name in PEOPLE if name != REFERRED_PARTY]
    secrets = (NOTE_TEXT, AGREEMENT_TEXT, ACTION_TEXT, *added_later)
    assert [secret for secret in secrets if secret in html] == []
    context.close()
