"""The access sweep (issue 17, point 9): every URL pattern of the site, for every kind of user.

Each URL pattern is filled in with the ids of one planted case (its declaration, note, session,
attendee, participation, party, agreement action, outgoing message and links) and asked for by
anonymous, a coordinator of another organisation, the referring coordinator, a mediator not on
the case, the case's mediator, a supervisor and a superuser. `EXPECTED` says, per pattern, who
may reach it; everyone else must be turned away: a case they may not see is a 404, a page of a
role they do not hold a 403, and anonymous is sent to the login page. A superuser configures
the system and reaches no case: no notes, no contact details, on the site or in the admin.

A URL pattern without an entry in `EXPECTED` fails the sweep (and so does an entry without a
pattern): whoever adds a page must say who may see it.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from agreements.models import AgreementAction
from cases.models import CaseUserObjectPermission, ConflictOfInterestDeclaration
from cases.permissions import CasePermission
from doctemplates.models import TemplateKind
from doctemplates.services import template_current
from documents.models import Document, DocumentKind
from documents.services import document_upload
from letters.services import letter_queue
from mediation.models import OutboxMessage
from mediation.roles import Role
from parties.models import ParticipantRole, PortalLink
from parties.portal import portal_link_make, portal_token
from parties.services import participant_add, participation_remove
from scheduling.models import Attendee
from scheduling.services.feeds import feed_create
from surveys.models import SurveyInvitation
from surveys.services import survey_token
from tests.factories import UserFactory
from tests.security.conftest import payload
from twofactor.models import AppDevice

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
OTHER_COORDINATOR = "other_coordinator"  # a coordinator of another organisation
REFERRER = "referrer"  # the coordinator who referred the case
OUTSIDER = "outsider"  # a mediator not on the case
MEDIATOR = "mediator"  # the case's lead mediator
SUPERVISOR = "supervisor"
SUPERUSER = "superuser"
# The probe's superuser: it put itself in the mediator and supervisor groups and on the case as
# co-mediator, written straight into the tables (as before the rule, or by a script).
SUPERUSER_IN_ROLES = "superuser_in_roles"
PERSONAS = [
    ANONYMOUS,
    OTHER_COORDINATOR,
    REFERRER,
    OUTSIDER,
    MEDIATOR,
    SUPERVISOR,
    SUPERUSER,
    SUPERUSER_IN_ROLES,
]
# Whose expectations a persona shares.
SAME_AS = {SUPERUSER_IN_ROLES: SUPERUSER}
SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS, SUPERUSER_IN_ROLES}
EVERYONE = frozenset(PERSONAS) - {SUPERUSER_IN_ROLES}


@dataclass(frozen=True)
class Access:
    """Who may reach a URL pattern, and what the others get.

    `denied` is the answer to a signed-in user who may not: 404 where the page belongs to a case
    they may not see (it does not exist for them), 403 where it belongs to a role they do not
    hold. Anonymous is sent to the login page unless the page is open (`login=False`).
    """

    allowed: frozenset[str]
    denied: int = 404
    login: bool = True
    # A link whose signed token is the credential: it shows its holder (a party, a mediator's
    # calendar) what it was made for, whoever else is signed in. Link tampering is swept
    # in its own test; here the page must only not depend on who is signed in.
    token: bool = False
    # A view that takes POST only may answer a GET with 405 before it looks anything up: the
    # same answer whether the record exists or not, so it tells nothing.
    post_only: bool = False
    # The planted data has no such record (a message in the development mailbox): a 404 for
    # everyone is the right answer.
    missing: bool = False
    # A user who may not see the case but holds the page's role gets the case's 404, others
    # the role's 403: `denied_by` names the exceptions to `denied`.
    denied_by: dict[str, int] = field(default_factory=dict)


def case_page(*allowed: str) -> Access:
    """A page of the case: who may not see the case, or not this part of it, gets a 404."""
    return Access(allowed=frozenset(allowed))


def role_page(*allowed: str) -> Access:
    """A page of a role: who does not hold it gets a 403."""
    return Access(allowed=frozenset(allowed), denied=403)


OPEN = Access(allowed=EVERYONE, login=False)
TOKEN_LINK = Access(allowed=EVERYONE, login=False, token=True)
API_TOKEN = Access(allowed=frozenset(), denied=401, login=False)
NO_LIST = Access(allowed=frozenset(), denied=403, denied_by={SUPERVISOR: 404})
ACCOUNT = Access(allowed=SIGNED_IN)
# The passkey ceremonies: JSON views that take POST only; anonymous gets their own refusal (403),
# never the login page (no passwordless sign-in).
PASSKEY_CEREMONY = Access(allowed=SIGNED_IN, login=False, denied=403, post_only=True)
CASE_MEMBERS = (MEDIATOR, SUPERVISOR, REFERRER)  # who sees the case page
MEDIATORS = (MEDIATOR,)  # notes, parties, sessions, the agreement: the case's mediators

# Every URL pattern of the site, by name (namespace:name), and who may reach it.
EXPECTED: dict[str, Access] = {
    # Open pages: the login, the statement, a party's links (signed tokens), the language.
    "home": ACCOUNT,
    "favicon": OPEN,
    "accessibility": OPEN,
    "login": OPEN,
    "logout": OPEN,  # POST only; a GET is refused with 405 for everyone
    "set_language": OPEN,
    "scheduling:rsvp": TOKEN_LINK,
    "scheduling:feed": TOKEN_LINK,
    "agreements:agreement_answer": TOKEN_LINK,
    "surveys:answer": TOKEN_LINK,
    "portal:home": TOKEN_LINK,
    "portal:answer": TOKEN_LINK,
    "portal:agreement": TOKEN_LINK,
    "portal:details": TOKEN_LINK,
    "portal:code": TOKEN_LINK,
    "portal:code_setting": TOKEN_LINK,
    # The API (issue 21): a client's bearer token only; a browser's session is no credential,
    # so every persona, signed in or not, gets a 401 in JSON. Its own tests are in tests/api/.
    "api:referrals": API_TOKEN,
    "api:referral": API_TOKEN,
    "api:case_kinds": API_TOKEN,
    "api:webhooks": API_TOKEN,
    "api:webhook": API_TOKEN,
    "api:webhook_redeliver": API_TOKEN,
    "api:webhook_secret": API_TOKEN,
    "api:not_found": Access(allowed=frozenset(), denied=404, login=False),
    # The OpenAPI schema and its docs page describe the API, nothing of any case: open.
    "api:schema": OPEN,
    "api:docs": OPEN,
    # The development mailbox: development only (a 404 in production, tested in mediation/).
    "dev_mailbox": OPEN,
    "dev_mailbox_message": Access(allowed=EVERYONE, login=False, missing=True),
    "dev_mailbox_attachment": Access(allowed=EVERYONE, login=False, missing=True),
    # One's own account.
    "password_change": ACCOUNT,
    "password_change_done": ACCOUNT,
    "idle_session": OPEN,  # how long the session has left; nothing else
    "account_settings": ACCOUNT,
    # Two-factor sign-in: one's own apps, passkeys and recovery codes. The planted devices are
    # the mediator's; anyone else asking to remove one finds nothing (404).
    "twofactor:manage": ACCOUNT,
    "twofactor:app": ACCOUNT,
    "twofactor:passkey": ACCOUNT,
    "twofactor:passkey_done": ACCOUNT,  # POST only: a GET is a 405 for the signed-in
    "twofactor:recovery_codes": ACCOUNT,
    "twofactor:recovery_regenerate": ACCOUNT,
    "twofactor:remove_app": case_page(MEDIATOR),
    "twofactor:remove_passkey": case_page(MEDIATOR),
    "twofactor:verify": ACCOUNT,
    # The passkey ceremonies (django-otp-webauthn's views).
    "otp_webauthn:credential-registration-begin": PASSKEY_CEREMONY,
    "otp_webauthn:credential-registration-complete": PASSKEY_CEREMONY,
    "otp_webauthn:credential-authentication-begin": PASSKEY_CEREMONY,
    "otp_webauthn:credential-authentication-complete": PASSKEY_CEREMONY,
    "otp_webauthn:js-i18n-catalog": OPEN,  # the library's translated messages
    # Role pages.
    "roles:list": role_page(SUPERVISOR, SUPERUSER),
    "roles:change": role_page(SUPERVISOR, SUPERUSER),
    "lockouts": role_page(SUPERVISOR, SUPERUSER),
    "audit:trail": role_page(SUPERVISOR),
    "audit:export": role_page(SUPERVISOR),
    "cases:list": ACCOUNT,  # filtered in the database: a superuser's list is empty
    "cases:queue": role_page(SUPERVISOR),
    "parties:refer": role_page(OTHER_COORDINATOR, REFERRER),
    "dashboard:todo": role_page(OUTSIDER, MEDIATOR),
    "dashboard:board": role_page(OUTSIDER, MEDIATOR, SUPERVISOR),
    "scheduling:feed_settings": role_page(OUTSIDER, MEDIATOR),
    "dossier:lists": role_page(SUPERVISOR),
    # No destruction list exists: a 404 for a supervisor, the role's 403 for the others.
    "dossier:list": NO_LIST,
    "dossier:decide": Access(
        allowed=frozenset(), denied=403, denied_by={SUPERVISOR: 404}, post_only=True
    ),
    "dossier:statement": NO_LIST,
    "dossier:statement_csv": NO_LIST,
    "dossier:people": role_page(SUPERVISOR),
    "dossier:person": role_page(SUPERVISOR),
    "dossier:person_export": role_page(SUPERVISOR),
    "dossier:person_export_json": role_page(SUPERVISOR),
    "dossier:person_erase": role_page(SUPERVISOR),
    "dossier:register": role_page(SUPERVISOR),
    "dossier:register_csv": role_page(SUPERVISOR),
    "dossier:hold": role_page(SUPERVISOR),
    # A mediator's own registration report (a supervisor picks the mediator).
    "dossier:registration": role_page(OUTSIDER, MEDIATOR, SUPERVISOR),
    "dossier:registration_csv": role_page(OUTSIDER, MEDIATOR, SUPERVISOR),
    "reporting:report": role_page(OTHER_COORDINATOR, REFERRER, SUPERVISOR),
    "reporting:export_csv": role_page(OTHER_COORDINATOR, REFERRER, SUPERVISOR),
    "reporting:annual": role_page(OTHER_COORDINATOR, REFERRER, SUPERVISOR),
    "cases:assign": role_page(SUPERVISOR),
    # The case and its parts.
    "cases:detail": case_page(*CASE_MEMBERS),
    "cases:trail": case_page(MEDIATOR, SUPERVISOR),
    "cases:transition": case_page(*CASE_MEMBERS),  # POST only: a GET is a 405 for them
    "cases:declare": case_page(MEDIATOR),
    "cases:conflict_accept": case_page(MEDIATOR),
    "cases:outbox_resend": role_page(SUPERVISOR),
    "cases:notes": case_page(*MEDIATORS),
    "cases:note_add": case_page(*MEDIATORS),
    "cases:note_detail": case_page(*MEDIATORS),
    "cases:note_edit": case_page(*MEDIATORS),
    "cases:note_versions": case_page(*MEDIATORS),
    "cases:note_delete": case_page(*MEDIATORS),
    "agreements:agreement": case_page(*MEDIATORS),
    "agreements:agreement_edit": case_page(*MEDIATORS),
    "agreements:agreement_print": case_page(*MEDIATORS),
    "agreements:agreement_document": Access(allowed=frozenset(MEDIATORS), post_only=True),
    "agreements:agreement_versions": case_page(*MEDIATORS),
    "surveys:case_survey": case_page(*MEDIATORS),
    "agreements:action_add": case_page(*MEDIATORS),
    "agreements:action_edit": case_page(*MEDIATORS),
    "agreements:action_remove": case_page(*MEDIATORS),
    "agreements:action_review": case_page(*MEDIATORS),
    "agreements:approval_record": case_page(*MEDIATORS),
    "agreements:approval_link": case_page(*MEDIATORS),
    "agreements:follow_up_date": case_page(*MEDIATORS),
    "agreements:summary_edit": case_page(*MEDIATORS),
    "agreements:summary_consent": case_page(*MEDIATORS),
    "parties:add": case_page(*MEDIATORS),
    "parties:edit": case_page(*MEDIATORS),
    "parties:consent": case_page(*MEDIATORS),
    "parties:withdraw_consent": case_page(*MEDIATORS),
    "parties:remove": case_page(*MEDIATORS),
    "parties:portal": case_page(*MEDIATORS),
    "parties:restore": case_page(*MEDIATORS),
    "scheduling:schedule": case_page(*MEDIATORS),
    "scheduling:record": case_page(*MEDIATORS),
    "scheduling:detail": case_page(*MEDIATORS),
    "scheduling:reschedule": case_page(*MEDIATORS),
    "scheduling:cancel": case_page(*MEDIATORS),
    "scheduling:mark_held": case_page(*MEDIATORS),
    "scheduling:attendee_add": case_page(*MEDIATORS),
    "scheduling:attendee_remove": case_page(*MEDIATORS),
    "scheduling:attendee_answer": Access(allowed=frozenset(MEDIATORS), post_only=True),
    # Documents (issue 22): the case's mediators only; the download is an attachment.
    "documents:list": case_page(*MEDIATORS),
    "documents:download": case_page(*MEDIATORS),
    "documents:delete": case_page(*MEDIATORS),
    # Letters to print (issue 22): the case's mediators only.
    "letters:list": case_page(*MEDIATORS),
    "letters:detail": case_page(*MEDIATORS),
    "letters:sent": Access(allowed=frozenset(MEDIATORS), post_only=True),
    "letters:closing": Access(allowed=frozenset(MEDIATORS), post_only=True),
    # Templates for letters and the agreement (issue 22): supervisors and superusers adjust
    # the wording; a role's page, so the others get a 403.
    "doctemplates:list": role_page(SUPERVISOR, SUPERUSER),
    "doctemplates:edit": role_page(SUPERVISOR, SUPERUSER),
    "doctemplates:version": role_page(SUPERVISOR, SUPERUSER),
    # Django's admin: staff only (the others are sent to its login page); swept on its own
    # below, for what a superuser sees there.
    "admin:*": Access(allowed=frozenset({SUPERUSER}), denied=302),
}


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    route: str  # the pattern, as text


def url_routes() -> list[Route]:
    """Every URL pattern of the site, the admin's included, named with its namespace."""

    def walk(resolver: URLResolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed: {prefix}{pattern.pattern}>"
                yield Route(namespace + name, prefix + str(pattern.pattern))

    return list(walk(get_resolver(), "", ""))


def expectation_key(route: Route) -> str:
    return "admin:*" if route.name.startswith("admin:") else route.name


def NON_ADMIN(route: Route) -> bool:
    return not route.name.startswith("admin:")


PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


def fill(route: Route, values: dict[str, object]) -> str:
    """The route with each <converter:name> replaced by its value (per route, else shared)."""
    own = values.get(route.name, {})
    assert isinstance(own, dict)

    def value(match: re.Match) -> str:
        name = match.group("name")
        return str(own[name] if name in own else values[name])

    return "/" + PARAMETER.sub(value, route.route)


def sweep_people(personas, case) -> dict[str, object]:
    return {
        ANONYMOUS: None,
        OTHER_COORDINATOR: UserFactory(username="coordinator_elsewhere", roles=[Role.COORDINATOR]),
        REFERRER: personas.coordinator,
        OUTSIDER: personas.outsider,
        MEDIATOR: personas.mediator,
        SUPERVISOR: personas.supervisor,
        SUPERUSER: UserFactory(username="root", is_superuser=True, is_staff=True),
        SUPERUSER_IN_ROLES: superuser_in_roles(case),
    }


def superuser_in_roles(case):
    """A superuser in the mediator and supervisor groups, co-mediator with every right on the
    case, all written straight into the tables: what the guards refuse on every other route."""
    root = UserFactory(username="root2", is_superuser=True, is_staff=True)
    for role in (Role.MEDIATOR, Role.SUPERVISOR):
        group = Group.objects.get_or_create(name=role.value)[0]
        root.groups.through.objects.create(user=root, group=group)
    case.co_mediators.through.objects.create(case=case, user=root)
    for permission in CasePermission:
        CaseUserObjectPermission.objects.create(
            user=root,
            content_object=case,
            permission=Permission.objects.get(codename=permission.value),
        )
    return root


def path_values(planted, personas) -> dict[str, object]:
    """A real id for every path parameter: the planted case's own records."""
    case = planted.case
    participation = case.participations.active().filter(party__kind="person").first()
    attendee = Attendee.objects.filter(session__case=case).first()
    tokens = {
        name: path.rstrip("/").rsplit("/", 1)[-1] for name, path in planted.public_paths.items()
    }
    return {
        "case_id": case.pk,
        # A session is no API credential: the 401 comes before any webhook is looked up.
        "webhook_id": 1,
        "declaration_id": ConflictOfInterestDeclaration.objects.filter(case=case).first().pk,
        "message_id": OutboxMessage.objects.filter(case_id=case.pk).first().pk,
        "note_id": case.notes.first().pk,
        "action_id": AgreementAction.objects.filter(agreement__case=case).first().pk,
        "participation_id": participation.pk,
        "party_id": participation.party_id,
        "session_id": attendee.session_id,
        "attendee_id": attendee.pk,
        "document_id": planted_document(participation, personas).pk,
        "letter_id": letter_queue(
            participation=participation, purpose="invite", title="Uitnodiging", body="Beste"
        ).pk,
        "pk": 999_999,  # no destruction list exists: nobody may reach one
        # The default invitation letter's template, made from the built-in wording.
        "template_id": template_current(
            kind=TemplateKind.INVITATION, organisation="", language="en"
        ).template_id,
        "number": 1,
        "user_id": personas.outsider.pk,
        "name": "nothing.eml",
        "index": 0,
        "scheduling:rsvp": {"token": tokens["rsvp"]},
        "agreements:agreement_answer": {"token": tokens["approval"]},
        "surveys:answer": {"token": planted_survey_token(participation)},
        **{
            name: {"token": portal_token(planted_portal_link(participation, personas))}
            for name in (
                "portal:home",
                "portal:agreement",
                "portal:details",
                "portal:code",
                "portal:code_setting",
            )
        },
        "portal:answer": {
            "token": portal_token(planted_portal_link(participation, personas)),
            "attendee_id": attendee.pk,
        },
        "scheduling:feed": {"token": feed_create(user=personas.mediator)},
        "api:not_found": {"rest": "nothing/"},
        "parties:restore": {"participation_id": planted_removed_participation(planted, personas)},
        "twofactor:remove_app": {"pk": planted_app(personas.mediator).pk},
        "twofactor:remove_passkey": {"pk": planted_passkey(personas.mediator).pk},
    }


def planted_document(participation, personas) -> Document:
    """A signed mediation agreement scanned for the participant, its file name a payload."""
    return document_upload(
        case=participation.case,
        upload=SimpleUploadedFile(f"{payload('document.name')}.pdf", b"%PDF-1.7\n%%EOF\n"),
        kind=DocumentKind.SIGNED_AGREEMENT,
        participation=participation,
        actor=personas.mediator,
    )


def planted_survey_token(participation) -> str:
    """The survey link of a party of the planted case (as if it had closed)."""
    invitation = SurveyInvitation.objects.create(
        case=participation.case, participation=participation, language="en"
    )
    return survey_token(invitation)


def planted_portal_link(participation, personas) -> PortalLink:
    """The participant's personal page link (made once; later calls reuse it)."""
    active = PortalLink.objects.filter(participation=participation, revoked_at__isnull=True)
    return active.first() or portal_link_make(participation=participation, actor=personas.mediator)


def planted_app(user) -> AppDevice:
    """An authenticator app of the user's, confirmed (its key sealed, as the service does)."""
    device = AppDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    device.key_set(secrets.token_bytes(20))
    device.save(update_fields=["sealed_key"])
    return device


def planted_passkey(user) -> WebAuthnCredential:
    """A passkey of the user's (its key material is never used here)."""
    credential_id = secrets.token_bytes(32)
    return WebAuthnCredential.objects.create(
        user=user,
        name="Sleutel",
        credential_id=credential_id,
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
        public_key=secrets.token_bytes(64),
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def signed_in(user) -> Client:
    """A client signed in as `user`; with a device, past the second step as well."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is None:
        return client
    client.force_login(user)
    device = AppDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def planted_removed_participation(planted, personas) -> int:
    """A participant taken off the case, so that restoring one has something to restore."""
    added = participant_add(
        case=planted.case,
        role=ParticipantRole.OBSERVER,
        actor=personas.mediator,
        party_fields={"kind": "person", "name": "Waarnemer", "email": "waarnemer@example.nl"},
    )
    return participation_remove(participation=added, actor=personas.mediator).pk


# What each kind of user must never find on a page: the planted notes, contact details,
# the agreement and the rest of what only the case's mediators read.
NOTES = ["note.body", "note.title"]
CONFIDENTIAL = [
    *NOTES,
    "jan.devries@example.nl",
    "party.other_needs",
    "session.place",
    "session.accessibility_notes",
    "agreement.text",
    "action.description",
    "summary.text",
    "declaration.disclosure",
    "document.name",
]
NEVER_SHOWN = {
    OTHER_COORDINATOR: CONFIDENTIAL,
    REFERRER: CONFIDENTIAL,
    OUTSIDER: CONFIDENTIAL,
    SUPERUSER: CONFIDENTIAL,
    SUPERUSER_IN_ROLES: CONFIDENTIAL,
    SUPERVISOR: NOTES,
    ANONYMOUS: NOTES,
}


def leaks(persona: str, html: str) -> list[str]:
    """The planted texts `persona` must not see that are on the page, escaped or not."""
    return [name for name in NEVER_SHOWN.get(persona, []) if name in html]


def snapshot(case) -> tuple:
    """What a refused request must leave as it was."""
    case.refresh_from_db()
    return (
        case.status,
        case.lead_mediator_id,
        case.notes.count(),
        case.participations.active().count(),
        sorted(case.sessions.values_list("status", "sequence")),
        AgreementAction.objects.filter(agreement__case=case).count(),
    )


@pytest.fixture
def sweep(planted, personas):
    return {
        "people": sweep_people(personas, planted.case),
        "values": path_values(planted, personas),
    }


def test_every_url_pattern_has_an_expectation():
    """A new page must say who may see it: a pattern without an entry fails here."""
    patterns = {expectation_key(route) for route in url_routes()}

    assert not [name for name in patterns if name.startswith("<unnamed")], patterns
    assert sorted(patterns - EXPECTED.keys()) == [], "add these to EXPECTED"
    assert sorted(EXPECTED.keys() - patterns) == [], "these are no longer URL patterns"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_pattern_turns_away_who_may_not_see_it(sweep, planted, persona):
    client = signed_in(sweep["people"][persona])
    before = snapshot(planted.case)
    checked = 0
    problems = []
    for route in url_routes():
        if route.name.startswith("admin:"):
            continue  # the admin is swept below
        access = EXPECTED[expectation_key(route)]
        path = fill(route, sweep["values"])
        role = SAME_AS.get(persona, persona)
        response = client.get(path)
        checked += 1
        if response.status_code >= 500:
            problems.append((route.name, "GET", response.status_code))
        elif role in access.allowed:
            # Everything planted exists: someone allowed gets the page (or a redirect, or a
            # 405 from a view that takes POST only), never a refusal.
            refused = (401, 403) if access.missing else (401, 403, 404)
            if _login_redirect(response) or response.status_code in refused:
                problems.append((route.name, "GET", response.status_code, "should be allowed"))
            elif not access.token and leaks(persona, body(response)):
                problems.append((route.name, "GET", leaks(persona, body(response))))
            continue
        if persona == ANONYMOUS and access.login:
            for method in (client.get, client.post):
                answer = method(path)
                if not _login_redirect(answer):
                    problems.append((route.name, method.__name__, answer.status_code, "login"))
            continue
        denied = access.denied_by.get(role, access.denied)
        for method in (client.get, client.post):
            answer = method(path)  # a POST without any data: refused before it is read
            refused_early = method == client.get and access.post_only and answer.status_code == 405
            if answer.status_code != denied and not refused_early:
                problems.append((route.name, method.__name__, answer.status_code, denied))
            elif leaks(persona, body(answer)):
                problems.append((route.name, method.__name__, "leaks"))

    assert checked > 70
    assert problems == []
    assert snapshot(planted.case) == before


@pytest.mark.parametrize("persona", [p for p in PERSONAS if SAME_AS.get(p, p) != SUPERUSER])
def test_the_admin_turns_away_everyone_but_the_administrator(sweep, persona):
    client = signed_in(sweep["people"][persona])
    paths = ["/admin/"] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin_site._registry
    ]

    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_a_superuser_finds_no_notes_or_contact_details_in_the_admin(sweep, planted):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sweep["people"][SUPERUSER])
    pages = 0

    for model, model_admin in admin_site._registry.items():
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        assert leaks(SUPERUSER, changelist.content.decode()) == [], meta.label
        for pk in model_admin.get_queryset(changelist.wsgi_request).values_list("pk", flat=True)[
            :5
        ]:
            change = client.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
            )
            pages += 1
            assert change.status_code == 200, (meta.label, pk)
            assert leaks(SUPERUSER, change.content.decode()) == [], (meta.label, pk)

    assert pages > 10
    # The planted texts are real: the case's mediator reads them on the case's pages.
    mediator = signed_in(sweep["people"][MEDIATOR])
    note = planted.case.notes.first()
    page = mediator.get(f"/cases/{planted.case.pk}/notes/{note.pk}/").content.decode()
    assert "note.body" in page


def test_the_sweep_can_fail(db):
    """The checks above catch a leak and tell a login redirect from a page (not vacuous)."""
    html = Client().get("/accessibility/").content.decode()

    assert leaks(SUPERUSER, html) == []
    assert leaks(SUPERUSER, html + payload("note.body")) == ["note.body"]
    assert leaks(SUPERVISOR, html + "jan.devries@example.nl") == []
    assert not _login_redirect(Client().get("/accessibility/"))
    assert _login_redirect(Client().get("/cases/"))
