"""Confidential note pages of a case: list, write, read, change, earlier versions, delete.

Only the case's mediators hold the note permissions; to anyone else every URL answers 404, as
if the case did not exist. Every read and write goes through `cases.services` (which checks the
permission again and audits). Plaintext appears only in the page it is shown on: never in a
message (stored in a cookie), a page title, a log line or the audit trail. Pages that show it are
not cached (`never_cache`), and forms keep their fields out of error reports.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cases import forms, services
from cases.models import Case, Note
from cases.permissions import CasePermission, get_case_for_user
from mediation.crypto import CannotOpen
from mediation.forms import add_service_errors
from mediation.types import AuthenticatedHttpRequest, User

VIEW: CasePermission = CasePermission.READ_NOTES
WRITE: CasePermission = CasePermission.WRITE_NOTES
# Every view loads the case, then the note, before it looks at the method: to anyone without
# the right, and for a note of another case, every URL answers 404.

KEY_DESTROYED = _("Notes can no longer be written on this case: its key was destroyed.")


def _note(case: Case, note_id: int, user: User) -> Note:
    """A note of this case that `user` may see, or 404: an id from another case, or another
    mediator's working note, does not exist here."""
    visible = services.notes_visible_to(case=case, user=user).select_related("author")
    note = get_object_or_404(visible, pk=note_id)
    note.case = case  # loaded already: saves the services a query
    return note


def _cannot_open(request: HttpRequest, case: Case, note: Note) -> HttpResponse:
    """The note's page without its text: the case and the rest of its notes are unaffected."""
    context: dict[str, Any] = {"case": case, "note": note, "opened": None}
    context["key_destroyed_at"] = services.key_destroyed_at(case)
    return render(request, "cases/notes/detail.html", context)


@never_cache
@login_required
def note_list(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case's notes by title (bodies stay sealed: listing is not reading)."""
    case = get_case_for_user(request.user, case_id, VIEW)
    titles = services.note_titles(case=case, reader=request.user)
    return render(request, "cases/notes/list.html", {"case": case, "note_titles": titles})


@never_cache
@sensitive_post_parameters("title", "body")
@login_required
def note_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Write a note; only its sealed form is stored."""
    case = get_case_for_user(request.user, case_id, WRITE)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_write(case=case, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except CannotOpen:
            form.add_error(None, KEY_DESTROYED)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("cases:notes", case.pk)
    return render(request, "cases/notes/form.html", {"case": case, "form": form})


@never_cache
@login_required
def note_detail(request: AuthenticatedHttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """Open one note; the service records the read, or the failed attempt."""
    case = get_case_for_user(request.user, case_id, VIEW)
    note = _note(case, note_id, request.user)
    try:
        opened = services.note_read(note=note, reader=request.user)
    except CannotOpen:
        return _cannot_open(request, case, note)
    context = {"case": case, "note": note, "opened": opened}
    context["has_versions"] = note.versions.exists()
    return render(request, "cases/notes/detail.html", context)


@never_cache
@sensitive_post_parameters("title", "body")
@login_required
def note_edit(request: AuthenticatedHttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """Change a note; the service keeps the previous text as an earlier version."""
    case = get_case_for_user(request.user, case_id, WRITE)
    note = _note(case, note_id, request.user)
    try:
        # Only a GET shows the current text, and that is a read: the service records it.
        initial = {} if request.method == "POST" else _initial(note, request.user)
    except CannotOpen:
        return _cannot_open(request, case, note)
    form = forms.NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_edit(note=note, editor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except CannotOpen:
            return _cannot_open(request, case, note)
        else:
            messages.success(request, _("The note was changed. Its earlier version is kept."))
            return redirect("cases:note_detail", case.pk, note.pk)
    return render(request, "cases/notes/form.html", {"case": case, "note": note, "form": form})


def _initial(note: Note, reader) -> dict:
    opened = services.note_read(note=note, reader=reader)
    return {"kind": note.kind, "title": opened.title, "body": opened.body}


@never_cache
@login_required
def note_versions(request: AuthenticatedHttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """The earlier texts of a note, newest first; opening them is recorded as a read."""
    case = get_case_for_user(request.user, case_id, VIEW)
    note = _note(case, note_id, request.user)
    versions = services.note_versions(note=note, reader=request.user)
    context = {"case": case, "note": note, "versions": versions}
    return render(request, "cases/notes/versions.html", context)


@never_cache
@login_required
def note_delete(request: AuthenticatedHttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """Ask for confirmation, then delete the note and its earlier versions for good."""
    case = get_case_for_user(request.user, case_id, WRITE)
    note = _note(case, note_id, request.user)
    if request.method == "POST":
        services.note_delete(note=note, actor=request.user)
        messages.success(request, _("The note and its earlier versions were deleted."))
        return redirect("cases:notes", case.pk)
    return render(request, "cases/notes/delete.html", {"case": case, "note": note})
