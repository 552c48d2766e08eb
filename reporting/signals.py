"""Changes that alter a case's figures mark its key stale (see reporting.models): the case,
its status history, sessions, reviews and survey answers.

Connected in `ReportingConfig.ready()`: the apps below never import `reporting`. A case's key
is its referral month, kind, referring organisation and coordinator; when a change moves a case
to another key (a corrected referral date), the key it leaves is marked too.
"""

from django.db.models.signals import post_delete, post_init, post_save

from agreements.models import ActionReview, AgreementAction
from cases.models import Case, CaseStatusChange
from reporting.tallies import Key, keys_mark_stale, month_of
from scheduling.models import Session
from surveys.models import SurveyResponse


def _key(case: Case) -> Key | None:
    if case.referred_on is None or case.kind_id is None:
        return None
    return (
        month_of(case.referred_on),
        case.kind_id,
        case.referring_organisation,
        case.referred_by_id,
    )


def _case_loaded(sender, instance: Case, **kwargs) -> None:
    # The key the case had when it was read: a save that changes it marks both.
    # (Deferred fields are not read here: a case loaded without them keeps no key.)
    deferred = instance.get_deferred_fields()
    if not deferred & {"referred_on", "kind_id", "referring_organisation", "referred_by_id"}:
        instance._report_key = _key(instance)  # type: ignore[attr-defined]


def _case_changed(sender, instance: Case, **kwargs) -> None:
    keys = {_key(instance), getattr(instance, "_report_key", None)}
    keys_mark_stale(key for key in keys if key is not None)
    instance._report_key = _key(instance)  # type: ignore[attr-defined]


def _of_case(case_id: int | None) -> None:
    if case_id is None:
        return
    row = (
        Case.objects.filter(pk=case_id)
        .values_list("referred_on", "kind_id", "referring_organisation", "referred_by_id")
        .first()
    )
    if row is not None:
        keys_mark_stale([(month_of(row[0]), row[1], row[2], row[3])])


def _status_change_changed(sender, instance: CaseStatusChange, **kwargs) -> None:
    _of_case(instance.case_id)


def _session_changed(sender, instance: Session, **kwargs) -> None:
    _of_case(instance.case_id)


def _review_changed(sender, instance: ActionReview, **kwargs) -> None:
    # A review deleted with its agreement goes before its action: the action is still there.
    case_id = (
        AgreementAction.objects.filter(pk=instance.action_id)
        .values_list("agreement__case_id", flat=True)
        .first()
    )
    _of_case(case_id)


def _answer_changed(sender, instance: SurveyResponse, **kwargs) -> None:
    _of_case(instance.case_id)


def connect() -> None:
    post_init.connect(_case_loaded, sender=Case, dispatch_uid="reporting.case_loaded")
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(_case_changed, sender=Case, dispatch_uid=f"reporting.case.{name}")
        signal.connect(
            _status_change_changed,
            sender=CaseStatusChange,
            dispatch_uid=f"reporting.status_change.{name}",
        )
        signal.connect(_session_changed, sender=Session, dispatch_uid=f"reporting.session.{name}")
        signal.connect(
            _review_changed, sender=ActionReview, dispatch_uid=f"reporting.review.{name}"
        )
        signal.connect(
            _answer_changed, sender=SurveyResponse, dispatch_uid=f"reporting.answer.{name}"
        )
