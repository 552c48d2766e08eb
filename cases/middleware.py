"""A signed-in user's 404 on a case page is an audit event (issue 17, throttled: see
`cases.services.refusals`).

A case page is any URL with a `case_id` in its pattern, whichever app serves it: the 404 may
come from the case itself (`get_case_for_user`) or from a record under it.
"""

from django.http import HttpRequest, HttpResponse

from cases.services.refusals import case_not_found_record


class CaseNotFoundAuditMiddleware:
    """Record a signed-in user's 404 on a case page, after the view answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            response.status_code == 404
            and match is not None
            and "case_id" in match.kwargs
            and request.user.is_authenticated
        ):
            case_not_found_record(
                user=request.user,
                path=request.path,
                case_id=match.kwargs["case_id"],
            )
        return response
