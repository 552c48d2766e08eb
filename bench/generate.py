"""Bench data: users, cases with keys, rights, parties, notes and sessions, and a long audit trail.

Bulk rows are made with `bulk_create`, not through the services, so that 200k cases take
minutes, not hours. The one case whose pages are measured (50 notes) is made by the real
services, so its notes, parties, rights and audit events are exactly what the app writes.

Shortcuts, each chosen so that it does not change what is measured:

- One data key per growth step: `crypto.data_key_new()` is called once and its wrapped form
  stored in every case's and party's `DataKey` row of the step (one row each, as the app makes
  them). `rotate_keys` still opens and re-wraps each row on its own: the work per row is the same
  whatever key is inside. (Sharing a data key between cases is a bench shortcut only; the app
  gives every case and party its own.)
- Notes and contact details are sealed for real under that key, each bound to its own case and
  note (or party) as the app binds them, so each one opens.
- Audit events carry the real canonical hash (`audit.chain.event_hash`) and are inserted in
  sequence order, so the chain verifies exactly as one written by `audit_record`. The table's
  triggers refuse updates and deletes; inserts are allowed.
- Sessions and their attendees are made in bulk with the fields the scheduling services set;
  their own shortcuts are listed in `bench/generate_sessions.py`.
"""

import hashlib
import hmac
import json
import math
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import event_hash
from audit.models import GENESIS_HASH, AuditAction, AuditEvent
from bench import generate_sessions
from cases import permissions, services
from cases.models import (
    Case,
    CaseActivity,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    CaseUserObjectPermission,
    Note,
    NoteKind,
    Outcome,
    ReferenceCounter,
    Urgency,
)
from mediation import crypto, keys
from mediation.models import DataKey, KeyPurpose
from mediation.roles import Role
from parties import contact
from parties import services as party_services
from parties.matching import normalise, normalise_email
from parties.models import ParticipantRole, Participation, Party, PartyKind
from scheduling.models import Session, SessionStatus
from scheduling.selectors import feed_sessions

# Every mediator leads this many cases (current and past): a growing municipality hires more
# mediators rather than giving one mediator a hundred times the cases.
MEDIATOR_CASELOAD = 250
CASES_PER_COORDINATOR = 1000
PARTIES_PER_CASE = 2
NOTES_PER_CASE = 2
SHOWCASE_NOTES = 50
BATCH = 5000
AUDIT_BATCH = 5000
AUDIT_STEP = timedelta(seconds=3, microseconds=600_000)

# Status mix of the bulk cases: (status, share). Referred cases have no mediator yet.
STATUS_MIX = (
    (CaseStatus.REFERRED, 0.05),
    (CaseStatus.INTAKE, 0.15),
    (CaseStatus.SESSIONS, 0.30),
    (CaseStatus.CLOSED, 0.50),
)
CLOSED_OUTCOMES = (Outcome.FULL_AGREEMENT, Outcome.PARTIAL_AGREEMENT, Outcome.NO_AGREEMENT)

_PLACES = (
    "buurthuis De Kroon",
    "moskee Al Fath",
    "speeltuin Oost",
    "azc Lunetten",
    "jongerencentrum",
    "volkstuinen Noord",
    "sporthal Zuid",
    "marktplein",
)
_TOPICS = ("Spanning rond", "Overlast bij", "Conflict over", "Onenigheid rond", "Wantrouwen bij")
_FIRST = ("Jan", "Fatima", "Sanne", "Mehmet", "Anouk", "Kees", "Yasmina", "Pieter", "Lotte", "Ali")
_LAST = ("de Vries", "Yilmaz", "Bakker", "El Amrani", "Jansen", "Visser", "Smit", "Bos", "Mulder")
_GROUPS = ("Stichting Buurtkracht", "Bewonersgroep", "Vereniging Samen", "Moskeebestuur")
_BODIES = ("Gemeente Utrecht", "Gemeente Amersfoort", "Woningcorporatie Portaal", "Politie")


@dataclass
class World:
    """The bench population, grown step by step by the runner."""

    rng: random.Random
    kind: CaseKind
    coordinator: object  # refers the showcase case
    mediator: object  # the measured mediator: leads MEDIATOR_CASELOAD cases at every size
    supervisor: object
    mediator_ids: list[int]  # the other mediators, one per MEDIATOR_CASELOAD cases
    coordinator_ids: list[int]
    usernames: dict[int, str]
    max_cases: int = 0
    mediator_permission_ids: list[int] = field(default_factory=list)
    view_permission_id: int = 0
    cases: int = 0
    mediator_cases: int = 0
    showcase_case_id: int | None = None
    showcase_note_ids: list[int] = field(default_factory=list)
    next_reference: dict[int, int] = field(default_factory=dict)
    next_mediator: int = 0
    party_serial: int = 0
    # Sessions (bench/generate_sessions.py): the measured mediator's feed, every lead's next
    # free planned slot, how many cases got sessions, and how many sessions there are.
    mediator_sessions: int = 0
    next_slot: dict[int, int] = field(default_factory=dict)
    session_cases: int = 0
    sessions: int = 0


def _usernames_create(prefix: str, count: int, group: Group) -> list[int]:
    user_model = get_user_model()
    unusable = make_password(None)
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"{prefix}-{number:05d}",
                first_name=_FIRST[number % len(_FIRST)],
                last_name=_LAST[number % len(_LAST)],
                password=unusable,  # bench users get a session directly, never log in
            )
            for number in range(count)
        ],
        batch_size=BATCH,
    )
    ids = [user.pk for user in users]
    user_model.groups.through.objects.bulk_create(
        [user_model.groups.through(user_id=pk, group_id=group.pk) for pk in ids],
        batch_size=BATCH,
    )
    return ids


def _persona(username: str, first: str, last: str, role: Role):
    user = get_user_model().objects.create_user(
        username=username, first_name=first, last_name=last, password=None
    )
    user.groups.add(Group.objects.get(name=role.value))
    return user


@transaction.atomic
def world_create(*, max_cases: int, seed: int = 20261128) -> World:
    """Users for up to `max_cases` cases: the three measured personas and their colleagues."""
    groups = {role: Group.objects.get(name=role.value) for role in Role}
    world = World(
        rng=random.Random(seed),
        kind=CaseKind.objects.get(code="inter_group"),
        coordinator=_persona("bench-coordinator", "Carla", "de Vries", Role.COORDINATOR),
        mediator=_persona("bench-mediator", "Mehmet", "Yilmaz", Role.MEDIATOR),
        supervisor=_persona("bench-supervisor", "Peter", "Jansen", Role.SUPERVISOR),
        mediator_ids=_usernames_create(
            "mediator", math.ceil(max_cases / MEDIATOR_CASELOAD), groups[Role.MEDIATOR]
        ),
        coordinator_ids=_usernames_create(
            "coordinator", math.ceil(max_cases / CASES_PER_COORDINATOR), groups[Role.COORDINATOR]
        ),
        usernames={},
        max_cases=max_cases,
    )
    world.usernames = dict(get_user_model().objects.values_list("pk", "username"))
    case_type = ContentType.objects.get_for_model(Case)
    by_codename = dict(
        Permission.objects.filter(content_type=case_type).values_list("codename", "pk")
    )
    world.mediator_permission_ids = [by_codename[name] for name in permissions.MEDIATOR_PERMISSIONS]
    world.view_permission_id = by_codename[permissions.CasePermission.VIEW]
    return world


def showcase_case_create(world: World, *, notes: int = SHOWCASE_NOTES) -> Case:
    """The case whose pages are measured, made by the real services: referral, assignment,
    two parties with sealed contact details, and `notes` sealed notes by the lead mediator."""
    case = party_services.referral_make(
        referred_by=world.coordinator,
        kind=world.kind,
        title="Spanning rond buurthuis De Kroon",
        referring_organisation="Gemeente Utrecht",
        referral_reason="Bewoners en gemeente praten niet meer met elkaar over het buurthuis.",
        urgency=Urgency.NORMAL,
        safety_concern=False,
        parties=[
            {
                "kind": PartyKind.GROUP,
                "name": "Bewonersgroep De Kroon",
                "email": "bewoners@dekroon.example",
                "phone": "030 123 45 67",
            },
            {
                "kind": PartyKind.GOVERNMENT,
                "name": "Gemeente Utrecht",
                "organisation": "Wijkbureau Oost",
                "email": "wijkbureau.oost@utrecht.example",
            },
        ],
    )
    case = services.case_assign(
        case=case, lead=world.mediator, co_mediators=[], actor=world.supervisor
    )
    world.mediator = get_user_model().objects.get(pk=world.mediator.pk)  # fresh role cache
    case = Case.objects.get(pk=case.pk)
    body = "Gesprek met de bewonersgroep. " * 40
    for number in range(notes):
        note = services.note_write(
            case=case,
            author=world.mediator,
            kind=NoteKind.WORKING if number % 3 else NoteKind.DOSSIER,
            title=f"Gesprek {number + 1} met de bewonersgroep",
            body=body,
        )
        world.showcase_note_ids.append(note.pk)
    world.showcase_case_id = case.pk
    world.cases += 1
    world.mediator_cases += 1
    return case


def _status(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for status, share in STATUS_MIX:
        total += share
        if roll < total:
            return status
    return CaseStatus.CLOSED


def _reference(world: World, year: int) -> str:
    number = world.next_reference.get(year, 0) + 1
    world.next_reference[year] = number
    return f"MED-{year}-{number:04d}"


def _lead_for(world: World) -> int:
    """The bench mediator fills their caseload first; then one colleague per caseload."""
    if world.mediator_cases < MEDIATOR_CASELOAD:
        world.mediator_cases += 1
        return world.mediator.pk
    lead = world.mediator_ids[world.next_mediator // MEDIATOR_CASELOAD]
    world.next_mediator += 1
    return lead


@dataclass(frozen=True)
class _StepKeys:
    wrapped: bytes
    key_id: str
    data_key: bytes
    index_key: bytes


def cases_grow(world: World, total: int) -> None:
    """Add bulk cases (with keys, rights, parties, participations and notes) up to `total`."""
    wrapped, key_id = crypto.data_key_new()  # one data key per step: see the module docstring
    step_keys = _StepKeys(
        wrapped=wrapped,
        key_id=key_id,
        data_key=crypto.data_key_unwrap(wrapped),
        index_key=keys.system_key(keys.INDEX_KEY_NAME),
    )
    today = date.today()
    # Carry on from the counters: the services may have handed out numbers since the last step.
    world.next_reference = dict(ReferenceCounter.objects.values_list("year", "last_number"))
    while world.cases < total:
        count = min(BATCH, total - world.cases)
        with transaction.atomic():
            _cases_batch(world, count, step_keys, today)
        world.cases += count
    _counters_save(world)


def _keys_create(purpose: KeyPurpose, count: int, step_keys: _StepKeys) -> list[DataKey]:
    """`count` data key rows of the step's key, with their primary keys."""
    return DataKey.objects.bulk_create(
        [
            DataKey(purpose=purpose, wrapped=step_keys.wrapped, master_key_id=step_keys.key_id)
            for _ in range(count)
        ],
        batch_size=BATCH,
    )


def _status_history(cases: list[Case], today: date) -> list[CaseStatusChange]:
    """The steps the report counts (accept, reach_agreement, close), as `case_transition`
    records them. A random source of its own, so the rest of the generated data stays as it
    was before the report needed this."""
    rng = random.Random(cases[0].pk if cases else 0)
    rows = []

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)

    for case in cases:
        if case.status == CaseStatus.REFERRED:
            continue
        accepted = min(today, case.referred_on + timedelta(days=rng.randrange(1, 30)))
        rows.append(
            CaseStatusChange(
                case_id=case.pk,
                transition="accept",
                from_status=CaseStatus.REFERRED,
                to_status=CaseStatus.INTAKE,
                changed_at=at(accepted),
            )
        )
        if case.status != CaseStatus.CLOSED or case.ended_on is None:
            continue
        ended = max(accepted, case.ended_on)
        if case.outcome in (Outcome.FULL_AGREEMENT, Outcome.PARTIAL_AGREEMENT):
            rows.append(
                CaseStatusChange(
                    case_id=case.pk,
                    transition="reach_agreement",
                    from_status=CaseStatus.SESSIONS,
                    to_status=CaseStatus.AGREEMENT,
                    changed_at=at(accepted + (ended - accepted) / 2),
                )
            )
        rows.append(
            CaseStatusChange(
                case_id=case.pk,
                transition="close",
                from_status=CaseStatus.FOLLOW_UP,
                to_status=CaseStatus.CLOSED,
                changed_at=at(ended),
            )
        )
    return rows


def _cases_batch(world: World, count: int, step_keys: _StepKeys, today: date) -> None:
    rng = world.rng
    cases, leads = [], []
    case_keys = _keys_create(KeyPurpose.CASE, count, step_keys)
    for case_key in case_keys:
        status = _status(rng)
        referred_on = today - timedelta(days=rng.randrange(3650))
        lead = None if status == CaseStatus.REFERRED else _lead_for(world)
        case = Case(
            kind_id=world.kind.pk,
            reference=_reference(world, referred_on.year),
            title=f"{rng.choice(_TOPICS)} {rng.choice(_PLACES)}",
            referred_by_id=rng.choice(world.coordinator_ids),
            referring_organisation=rng.choice(_BODIES),
            referred_on=referred_on,
            referral_reason="Bewoners en gemeente praten niet meer met elkaar. " * 4,
            urgency=rng.choice(Urgency.values),
            safety_concern=rng.random() < 0.05,
            lead_mediator_id=lead,
            status=status,
            key_id=case_key.pk,
        )
        if status == CaseStatus.CLOSED:
            case.outcome = rng.choice(CLOSED_OUTCOMES)
            case.ended_on = min(today, referred_on + timedelta(days=rng.randrange(30, 300)))
        cases.append(case)
        leads.append(lead)
    Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseStatusChange.objects.bulk_create(_status_history(cases, today), batch_size=BATCH)
    # The activity record `case_activity_mark` keeps from the trail: the last change within
    # the past two months, so that the supervisor's list of quiet cases has some to show.
    CaseActivity.objects.bulk_create(
        [
            CaseActivity(
                case_id=case.pk,
                last_at=timezone.now() - timedelta(days=rng.randrange(60)),
                is_open=case.status != CaseStatus.CLOSED,
            )
            for case in cases
        ],
        batch_size=BATCH,
    )
    rights = []
    for case, lead in zip(cases, leads, strict=True):
        rights.append(
            CaseUserObjectPermission(
                user_id=case.referred_by_id,
                permission_id=world.view_permission_id,
                content_object_id=case.pk,
            )
        )
        if lead is not None:
            rights.extend(
                CaseUserObjectPermission(
                    user_id=lead, permission_id=permission_id, content_object_id=case.pk
                )
                for permission_id in world.mediator_permission_ids
            )
    CaseUserObjectPermission.objects.bulk_create(rights, batch_size=BATCH)

    party_keys = _keys_create(KeyPurpose.PARTY, count * PARTIES_PER_CASE, step_keys)
    parties = [_party(world, step_keys, key) for key in party_keys]
    Party.objects.bulk_create(parties, batch_size=BATCH)
    participations = []
    for index, case in enumerate(cases):
        signed = (
            case.referred_on if case.status in (CaseStatus.SESSIONS, CaseStatus.CLOSED) else None
        )
        participations.extend(
            Participation(
                case_id=case.pk,
                party_id=party.pk,
                role=ParticipantRole.PARTY,
                consent_signed_on=signed,
                consent_signed_by=party.name if signed else "",
            )
            for party in parties[index * PARTIES_PER_CASE : (index + 1) * PARTIES_PER_CASE]
        )
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    by_case = {}
    for participation in participations:
        by_case.setdefault(participation.case_id, []).append(participation)
    planned = generate_sessions.sessions_plan(
        world, cases, leads, by_case, caseload=MEDIATOR_CASELOAD, now=timezone.now()
    )
    world.sessions += generate_sessions.sessions_save(planned, batch_size=BATCH)

    notes = []
    for case, lead in zip(cases, leads, strict=True):
        if lead is None:
            continue
        for number in range(NOTES_PER_CASE):
            note = Note(case_id=case.pk, author_id=lead, kind=NoteKind.WORKING)
            note.sealed_title = crypto.seal(
                step_keys.data_key, f"Intake {number + 1}", context=note.context("title")
            )
            note.sealed_body = crypto.seal(
                step_keys.data_key,
                "Eerste gesprek met beide partijen. " * 8,
                context=note.context("body"),
            )
            notes.append(note)
    Note.objects.bulk_create(notes, batch_size=BATCH)


def _party(world: World, step_keys: _StepKeys, key: DataKey) -> Party:
    rng = world.rng
    world.party_serial += 1
    serial = world.party_serial
    kind = rng.choice(PartyKind.values)
    if kind == PartyKind.PERSON:
        name, organisation = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", ""
    elif kind == PartyKind.GROUP:
        name, organisation = f"{rng.choice(_GROUPS)} {rng.choice(string.ascii_uppercase)}", ""
    else:
        name, organisation = rng.choice(_BODIES), "Afdeling Wijken"
    email = f"party{serial}@bench.example"
    party = Party(
        kind=kind,
        name=name,
        name_normalised=normalise(name),
        organisation=organisation,
        organisation_normalised=normalise(organisation),
        uid=uuid.uuid4(),
        email_index=_blind_index(step_keys.index_key, email),
        key_id=key.pk,
    )
    document = json.dumps({"email": email, "phone": "", "postal_address": ""})
    party.sealed_contact = crypto.seal(
        step_keys.data_key,
        document,
        context=contact._context(party),  # the app's own binding to this party
    )
    return party


def _blind_index(index_key: bytes, email: str) -> str:
    """`keys.blind_index` without its query per call; generation_check proves them equal."""
    return hmac.new(index_key, normalise_email(email).encode("utf-8"), hashlib.sha256).hexdigest()


def database_settle() -> None:
    """PostgreSQL: VACUUM ANALYZE after bulk loading, the state autovacuum reaches within
    minutes in production (fresh statistics; no autovacuum run competing with a measure).
    SQLite gets nothing: Django never runs ANALYZE there, so the app runs without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _counters_save(world: World) -> None:
    for year, number in world.next_reference.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": number})


# Audit events: a mix like a busy trail's, with small details as the services write them.
_ACTIONS = (
    (AuditAction.NOTE_READ, "cases.note", {}),
    (AuditAction.NOTE_WRITTEN, "cases.note", {"kind": "working"}),
    (AuditAction.CASE_TRANSITION, "cases.case", {"transition": "accept", "from": "referred"}),
    (AuditAction.LOGIN, "", {}),
    (AuditAction.PARTICIPANT_ADDED, "parties.participation", {"role": "party"}),
    (
        AuditAction.CASE_PERMISSION_GRANTED,
        "cases.case",
        {"user": 0, "permissions": list(permissions.MEDIATOR_PERMISSIONS)},
    ),
)


def audit_events_append(world: World, count: int, *, first_at: datetime) -> datetime:
    """Append `count` events to the chain, hashed as `audit_record` hashes them.

    Times start at `first_at` and rise by a few seconds per event; returns the time after the
    last, for the next call. Callers keep the times below those of events the services write.
    """
    rng = world.rng
    actors = [world.mediator.pk, world.supervisor.pk, *world.mediator_ids[:200]]
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, prev_hash = head if head else (0, GENESIS_HASH)
    moment = first_at
    case_span = max(world.max_cases, 1000)
    made = 0
    while made < count:
        batch = []
        for _number in range(min(AUDIT_BATCH, count - made)):
            sequence += 1
            moment += AUDIT_STEP + timedelta(microseconds=rng.randrange(1_000_000))
            action, target_type, details = rng.choice(_ACTIONS)
            actor_id = rng.choice(actors)
            details = dict(details)
            if "user" in details:
                details["user"] = rng.choice(actors)
            fields = {
                "actor_id": actor_id,
                "actor_label": world.usernames[actor_id],
                "action": action.value,
                "target_type": target_type,
                "target_id": str(rng.randrange(1, 10 * case_span)) if target_type else "",
                "case_id": rng.randrange(1, case_span) if target_type else None,
                "client_address": f"192.0.2.{rng.randrange(1, 255)}",
                "details": details,
            }
            event = AuditEvent(sequence=sequence, occurred_at=moment, prev_hash=prev_hash, **fields)
            # As audit_record hashes an event: its plain values, in the one canonical form.
            event.hash = prev_hash = event_hash(event.chain_values())
            batch.append(event)
        with transaction.atomic():
            AuditEvent.objects.bulk_create(batch, batch_size=AUDIT_BATCH)
        made += len(batch)
    return moment + AUDIT_STEP


def audit_first_at(total_events: int) -> datetime:
    """When a trail of `total_events` bench events starts, so that it ends before now."""
    return datetime.now(UTC) - (total_events + 10) * (AUDIT_STEP + timedelta(seconds=1))


def generation_check(world: World) -> dict:
    """Open what the generator sealed, with the app's own code: a bulk note title, a bulk
    party's contact details, the mediator's visible cases and their feed's sessions. Raises if
    anything is off."""
    mediator = get_user_model().objects.get(pk=world.mediator.pk)
    note = (
        Note.objects.filter(author_id=world.mediator.pk)
        .exclude(case_id=world.showcase_case_id)
        .select_related("case")
        .first()
    )
    titles = services.note_titles(case=note.case, reader=mediator)
    if not titles or any(item.title is None for item in titles):
        raise RuntimeError("a bulk note does not open with the app's code")
    party = Party.objects.exclude(email_index="").order_by("-pk").first()
    index = keys.blind_index(normalise_email(party.email))
    if not party.contact.readable or index != party.email_index:
        raise RuntimeError("a bulk party's contact details do not open with the app's code")
    visible = permissions.visible_cases(mediator).count()
    if visible != world.mediator_cases:
        raise RuntimeError(f"the mediator sees {visible} cases, not {world.mediator_cases}")
    # Bulk sessions pass the model's own validation, and the feed selector finds them all.
    for status in SessionStatus:
        session = Session.objects.filter(organizer=mediator, status=status).last()
        if session is not None:
            session.full_clean()
    feed = len(feed_sessions(user=mediator))
    if feed != world.mediator_sessions:
        raise RuntimeError(f"the mediator's feed holds {feed}, not {world.mediator_sessions}")
    return {"mediator_visible_cases": visible, "mediator_feed_sessions": feed}
