"""Destroying a case's agreement when its dossier's retention ends."""

from agreements.models import Agreement, ReferrerSummary
from cases.models import Case


def case_agreement_destroy(*, case: Case) -> int:
    """Delete the agreement with its versions, actions, reviews and approvals, and the summary
    for the referrer with its consents (the dossier app's destruction list checks the approval
    and audits). Their text was sealed under the case's data key, which goes too. Returns how
    many records went."""
    agreements, _ = Agreement.objects.filter(case=case).delete()
    summaries, _ = ReferrerSummary.objects.filter(case=case).delete()
    return agreements + summaries
