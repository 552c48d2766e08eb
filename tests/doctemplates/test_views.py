"""The template pages: supervisors and superusers list, open and change templates; a template
with an unknown field is refused with the field named and the typed text kept; everyone else
is refused (403, a role's page)."""

import pytest
from django.urls import reverse

from doctemplates.models import DocumentTemplate, DocumentTemplateVersion, TemplateKind
from doctemplates.services import template_current
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    return template_current(kind=TemplateKind.INVITATION, organisation="", language="en").template


def edit_url(template) -> str:
    return reverse("doctemplates:edit", args=[template.pk])


def test_a_supervisor_sees_the_templates_and_their_versions(client, personas, template):
    client.force_login(personas.supervisor)
    response = client.get(reverse("doctemplates:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Invitation letter" in page
    assert "Tafel (built-in wording)" in page
    assert f'href="{edit_url(template)}"' in page
    assert 'href="/templates/"' in page  # the menu's link


def test_the_list_without_templates_says_so(client, personas):
    client.force_login(personas.supervisor)
    response = client.get(reverse("doctemplates:list"))
    assert "No wording was adjusted yet" in response.content.decode()
    assert not DocumentTemplate.objects.exists()  # a GET writes nothing


def test_the_organisations_to_choose_are_the_referring_ones(client, personas):
    CaseFactory(referred_by=personas.coordinator, referring_organisation="Gemeente Zeist")
    client.force_login(personas.supervisor)
    page = client.get(reverse("doctemplates:list")).content.decode()
    assert '<option value="Gemeente Zeist">Gemeente Zeist</option>' in page


def test_opening_an_organisations_wording_starts_from_the_wording_in_use(client, personas):
    CaseFactory(referred_by=personas.coordinator, referring_organisation="Gemeente Zeist")
    client.force_login(personas.supervisor)
    form = {"kind": "closing", "organisation": "Gemeente Zeist", "language": "en"}
    response = client.post(reverse("doctemplates:list"), form)

    own = DocumentTemplate.objects.get(organisation="Gemeente Zeist")
    assert response.status_code == 302
    assert response["Location"] == edit_url(own)
    default = DocumentTemplate.objects.get(organisation="", kind="closing", language="en")
    assert own.current_version.body == default.current_version.body
    # Asked again, the same template opens; nothing new is saved.
    assert client.post(reverse("doctemplates:list"), form)["Location"] == edit_url(own)
    assert DocumentTemplateVersion.objects.count() == 2


def test_an_organisation_nobody_referred_from_is_refused(client, personas):
    client.force_login(personas.supervisor)
    form = {"kind": "closing", "organisation": "Nergenshuizen", "language": "en"}
    response = client.post(reverse("doctemplates:list"), form)
    assert response.status_code == 400
    assert not DocumentTemplate.objects.exists()


def test_a_supervisor_saves_a_new_version(client, personas, template):
    client.force_login(personas.supervisor)
    page = client.get(edit_url(template)).content.decode()
    assert "<code>$how_to_answer</code>" in page  # the fields of the kind, with their labels
    assert "How to say whether you come" in page

    response = client.post(
        edit_url(template),
        {"title": "Invitation $case_reference", "body": "Dear $recipient_name,\r\nWelcome."},
        follow=True,
    )
    assert response.status_code == 200
    assert "Saved as version 2." in response.content.decode()
    current = template.current_version
    assert (current.number, current.body) == (2, "Dear $recipient_name,\nWelcome.")
    assert current.created_by == personas.supervisor


def test_an_unknown_field_is_refused_naming_it_and_the_text_is_kept(client, personas, template):
    client.force_login(personas.supervisor)
    typed = "Dear $recipient_name,\nSee you at $venue."
    response = client.post(edit_url(template), {"title": "Invitation", "body": typed})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The template uses a field that does not exist: $venue." in page
    assert "Nothing was saved" in page
    assert "See you at $venue.</textarea>" in page
    assert template.current_number == 1


def test_unchanged_wording_makes_no_new_version(client, personas, template):
    client.force_login(personas.supervisor)
    current = template.current_version
    response = client.post(
        edit_url(template), {"title": current.title, "body": current.body}, follow=True
    )
    assert "Nothing changed: version 1 is still in use." in response.content.decode()
    assert template.current_number == 1


def test_an_old_version_is_shown_read_only(client, personas, template):
    client.force_login(personas.supervisor)
    client.post(edit_url(template), {"title": "New $case_reference", "body": "New text"})
    url = reverse("doctemplates:version", args=[template.pk, 1])
    page = client.get(url).content.decode()
    assert "Not in use: version 2 is in use." in page
    assert "<textarea" not in page
    assert "New text" not in page
    assert client.get(reverse("doctemplates:version", args=[template.pk, 9])).status_code == 404


def test_a_superuser_may_edit(client, template):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(edit_url(template)).status_code == 200
    response = client.post(edit_url(template), {"title": "T", "body": "B $today"})
    assert response.status_code == 302
    assert template.current_number == 2


@pytest.mark.parametrize("who", ["outsider", "mediator", "coordinator"])
def test_everyone_else_gets_403(client, personas, template, who):
    client.force_login(getattr(personas, who))
    urls = [
        reverse("doctemplates:list"),
        edit_url(template),
        reverse("doctemplates:version", args=[template.pk, 1]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(edit_url(template), {"title": "T", "body": "B"})
    assert response.status_code == 403
    assert template.current_number == 1
    assert 'href="/templates/"' not in client.get("/").content.decode()


def test_anonymous_is_sent_to_sign_in(client, template):
    response = client.get(edit_url(template))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_audit_trail_shows_a_saved_template(client, personas, template):
    client.force_login(personas.supervisor)
    client.post(edit_url(template), {"title": "T $case_reference", "body": "B"})
    response = client.get(reverse("audit:trail"))
    assert response.status_code == 200
    assert "Document template saved" in response.content.decode()
