"""What `zgw` registers with the lower layers at start-up: the lifecycle's hooks (a referral
becomes a zaak, each step a status) and its sender in the HTTP outbox."""

from cases import hooks
from mediation.http_outbox import register_http_sender
from zgw.sender import zgw_delivered, zgw_prepare
from zgw.services import SENDER, zaak_register, zaak_step


def register() -> None:
    hooks.register_after_referral(zaak_register)
    hooks.register_after_every_step(zaak_step)
    register_http_sender(SENDER, zgw_prepare, zgw_delivered)
