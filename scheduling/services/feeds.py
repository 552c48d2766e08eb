"""The mediators' private calendar feeds: their URLs, version stamps and stored text.

The version stamp. `CalendarFeed.version` rises, in the same transaction, with every change
that a feed shows: the session services call `feed_stamps_move` for every mediator of the
case (a superset of the feeds that show its sessions, which are only its mediators'), and
`cases.services.case_assign` for every mediator who joins or leaves the case. `changed_at`
rises with it, by at least a second each time (HTTP dates have no finer resolution), so an
If-Modified-Since never hides a change made in the same second.

The stored text. `feed_current` serves the copy written for the current version and
language, from the database, so that every app process serves the same one; otherwise it
writes the feed again and stores it. The copy is written from sessions read after the
version, so it is never older than its version says. Names (changed in the admin, which has
no service) and the words of a new catalogue are checked against the copy's recipe: when
they differ, the stamp moves here, so ETag and Last-Modified move as well.

Feed rows are locked last in a transaction, after its audit event: every transaction that
locks one already holds the audit chain's lock (audit.services), so two of them never wait
for each other's feeds.

Whatever deletes sessions or takes a case from a mediator in future (retention, erasure)
must move the stamps as well, or the stored copies keep showing what is gone.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from mediation.types import User
from scheduling import selectors
from scheduling.feed import display_name, feed_calendar, feed_name, feed_recipe
from scheduling.models import CalendarFeed, CalendarFeedCopy, whole_second_now


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, user: User) -> str:
    """Make (or replace) the user's private feed URL; return its secret token, shown once."""
    # Audited first, so that the feed row is locked after the audit chain, as everywhere.
    audit_record(action=AuditAction.FEED_CREATED, actor=user, target=user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": feed_token_hash(token)}
    )
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> None:
    """Make the user's feed URL stop working; its stored copies go with it."""
    if CalendarFeed.objects.filter(user=user).exists():
        # Audited first, so that the feed row is locked after the audit chain, as everywhere.
        audit_record(action=AuditAction.FEED_REVOKED, actor=user, target=user)
        CalendarFeed.objects.filter(user=user).delete()


@transaction.atomic(savepoint=False)
def feed_stamps_move(*, user_ids: Iterable[int | None]) -> None:
    """Raise the version stamp of these users' feeds (those who have one).

    Call it in the transaction of a change that their feeds show, after its audit event.
    """
    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return
    # Locked in one order: two changes for the same mediators wait for each other here.
    feeds = list(
        CalendarFeed.objects.select_for_update()
        .filter(user_id__in=ids)
        .order_by("user_id")
        .only("pk", "version", "changed_at")
    )
    now = whole_second_now()
    for feed in feeds:
        feed.version += 1
        feed.changed_at = max(now, feed.changed_at + timedelta(seconds=1))
    CalendarFeed.objects.bulk_update(feeds, ["version", "changed_at"])


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """A feed as served: its text, and the validators that follow its version stamp."""

    body: bytes
    etag: str
    last_modified: datetime


def feed_etag(*, feed: CalendarFeed, language: str) -> str:
    """The ETag of the feed's current version in `language` (a new feed row: a new ETag)."""
    digest = hashlib.sha256(f"{feed.pk}:{feed.version}:{language}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def _document(feed: CalendarFeed, language: str, body: bytes) -> FeedDocument:
    etag = feed_etag(feed=feed, language=language)
    return FeedDocument(body=body, etag=etag, last_modified=feed.changed_at)


def feed_current(*, feed: CalendarFeed, language: str) -> FeedDocument:
    """The feed in `language` (active) for its current version: the stored copy, or a new
    copy, written and stored.

    `feed` must be read before anything else of this request (`selectors.feed_for_token`):
    the copy written here is then at least as new as the version it is stored under. Three
    queries when the stored copy is current.
    """
    copy = selectors.feed_copy(feed=feed, language=language)
    if copy is not None and copy.version == feed.version:
        organizers = selectors.feed_organizers(ids=copy.organizer_ids) if copy.organizer_ids else []
        names = [(user.pk, display_name(user)) for user in organizers]
        if copy.recipe == feed_recipe(owner=feed.user, organizers=names):
            return _document(feed, language, bytes(copy.body))
        # A name or a word changed without a service to move the stamp: move it now, so that
        # clients holding the old ETag or date get the new text.
        feed_stamps_move(user_ids=[feed.user_id])
        feed.refresh_from_db(fields=["version", "changed_at"])
    return _document(feed, language, _feed_write(feed=feed, language=language))


def _feed_write(*, feed: CalendarFeed, language: str) -> bytes:
    """Write the feed from its sessions and store it for the version read before them."""
    sessions = selectors.feed_sessions(user=feed.user)
    organizers = {session.organizer_id: session.organizer for session in sessions}
    body = feed_calendar(sessions=sessions, name=feed_name(feed.user))
    names = [(pk, display_name(user)) for pk, user in organizers.items()]
    copy = CalendarFeedCopy(
        feed=feed,
        language=language,
        version=feed.version,
        recipe=feed_recipe(owner=feed.user, organizers=names),
        organizer_ids=sorted(organizers),
        body=body,
    )
    # One statement, whichever request stores first. A slower request may store a copy for an
    # older version over a newer one: it is never served for the newer version, only written
    # again by the next request.
    CalendarFeedCopy.objects.bulk_create(
        [copy],
        update_conflicts=True,
        unique_fields=["feed", "language"],
        update_fields=["version", "recipe", "organizer_ids", "body", "written_at"],
    )
    return body
