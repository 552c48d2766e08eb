"""Django's `diffsettings`, with every secret setting shown as stars (issue 17).

Django's own command prints SECRET_KEY and the master keys in full; this one passes each value
through the error pages' filter (`mediation.secrets`) first. It replaces the built-in command
because `mediation` is an installed app.
"""

from django.conf import Settings, global_settings, settings
from django.core.management.commands import diffsettings

from mediation.secrets import cleansed_setting


def _cleansed(module) -> dict[str, str]:
    return {
        name: repr(cleansed_setting(name, getattr(module, name)))
        for name in dir(module)
        if name.isupper() and not name.startswith("_")
    }


class Command(diffsettings.Command):
    help = diffsettings.Command.help + " Secrets are shown as stars."

    def handle(self, **options):
        # Settings load lazily: read them now, as Django's command does.
        if not settings.configured:
            settings._setup()  # type: ignore[misc]
        user_settings = _cleansed(settings._wrapped)  # type: ignore[misc]
        default = options["default"]
        # The defaults through the filter too, so a hidden setting compares alike.
        default_settings = _cleansed(Settings(default) if default else global_settings)
        output = {"hash": self.output_hash, "unified": self.output_unified}[options["output"]]
        return "\n".join(output(user_settings, default_settings, **options))
