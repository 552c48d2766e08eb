"""Documents of a case: the list and upload page, the download and the deletion.

Every view loads the case with `READ_NOTES`, held only by the case's mediators: the referring
coordinator, a supervisor and anyone else get a 404, as if the case did not exist. On a closed
case the pages only list and download: an upload or a deletion is refused with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cases.keys import case_data_key_or_none
from cases.permissions import CasePermission, get_case_for_user
from documents import selectors, services
from documents.forms import DocumentUploadForm
from documents.models import Document
from documents.uploads import DiscardFiles, DocumentInMemory, DocumentSizeLimit
from mediation.crypto import CannotOpen
from mediation.forms import add_service_errors
from mediation.types import AuthenticatedHttpRequest

READ: CasePermission = CasePermission.READ_NOTES


def _document(case, document_id: int) -> Document:
    """A document of this case, or 404: an id from another case does not exist here."""
    document = get_object_or_404(Document, pk=document_id, case=case)
    document.case = case
    return document


@csrf_exempt  # the handlers must be in place before the body is read: checked just below
def document_list(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case's documents, and the form that adds one."""
    # The size limit, then memory only: Django's own handlers would put a file above 2.5 MB
    # in a temporary file, unsealed (documents/uploads.py). Without an account, nothing is
    # kept: the CSRF check still reads the body first, as on every other page.
    limit = DocumentSizeLimit(request)
    if request.user.is_authenticated:
        request.upload_handlers = [limit, DocumentInMemory(request)]
    else:
        request.upload_handlers = [DiscardFiles(request)]
    return _document_list(request, case_id, limit)


@csrf_protect  # first, as the middleware would be
@never_cache
@login_required
def _document_list(
    request: AuthenticatedHttpRequest, case_id: int, limit: DocumentSizeLimit
) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, READ)
    if request.method == "POST" and not case.is_open:
        messages.error(request, services.closed_message())
        return redirect("documents:list", case.pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, case=case)
    if limit.too_large:
        form.fields["file"].required = False  # it was sent: say why it was dropped instead
        form.is_valid()
        form.add_error("file", services.too_large_message())
    elif request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                case=case,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                participation=form.cleaned_data["participation"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was added to the case."))
            return redirect("documents:list", case.pk)
    context = {"case": case, "form": form, "documents": selectors.case_documents(case=case)}
    return render(request, "documents/list.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def document_download(
    request: AuthenticatedHttpRequest, case_id: int, document_id: int
) -> HttpResponseBase:
    """The file, always as an attachment with its detected type (never shown in the browser)."""
    case = get_case_for_user(request.user, case_id, READ)
    document = _document(case, document_id)
    try:
        download = services.document_download(document=document, reader=request.user)
    except CannotOpen:
        messages.error(request, _("This document cannot be opened: the case's key is missing."))
        return redirect("documents:list", case.pk)
    response = StreamingHttpResponse(download.stream, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.name) or ""
    response["Content-Length"] = str(download.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_delete(
    request: AuthenticatedHttpRequest, case_id: int, document_id: int
) -> HttpResponse:
    """Ask for confirmation, then delete the document for good."""
    case = get_case_for_user(request.user, case_id, READ)
    document = _document(case, document_id)
    if not case.is_open:
        messages.error(request, services.closed_message())
        return redirect("documents:list", case.pk)
    if request.method == "POST":
        try:
            services.document_delete(document=document, actor=request.user)
        except ValidationError as error:  # the case closed meanwhile
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was deleted."))
        return redirect("documents:list", case.pk)
    shown = selectors.document_shown(document=document, key=case_data_key_or_none(case))
    return render(request, "documents/delete.html", {"case": case, "document": shown})
