"""Models of the project's own infrastructure."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WrappedSecret(models.Model):
    """A system-wide secret (e.g. the blind-index key), stored only wrapped by a master key."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    wrapped = models.BinaryField(_("wrapped secret"))
    master_key_id = models.CharField(_("master key id"), max_length=12, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("wrapped secret")
        verbose_name_plural = _("wrapped secrets")

    def __str__(self) -> str:
        return self.name
