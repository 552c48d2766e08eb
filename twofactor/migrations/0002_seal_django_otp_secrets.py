"""Move the apps and recovery codes of django-otp (key and codes in plain text) into Tafel's own
devices: the key sealed, the codes as HMACs. django-otp's rows are deleted, so its tables are
left empty; whoever set up two-factor sign-in keeps signing in without enrolling again.

Going back leaves the devices where they are: a recovery code cannot be had back from its HMAC,
and the keys are not to be unsealed into plain text again. (A session that was verified with an
old device is asked for a code once more: its device id named django-otp's row.)
Deleted rows may linger in the database's free pages until it is vacuumed (docs/security.md).
"""

from django.db import migrations

from twofactor import sealing

# The fields the devices share (django-otp's Device, ThrottlingMixin and TimestampMixin).
COMMON = [
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
]
APP_FIELDS = ["step", "t0", "digits", "tolerance", "drift", "last_t"]


def _copy(model, old, fields):
    new = model.objects.create(**{field: getattr(old, field) for field in fields})
    # created_at is set on create (auto_now_add): keep the device's own date.
    model.objects.filter(pk=new.pk).update(created_at=old.created_at)
    return new


def seal_existing(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    AppDevice = apps.get_model("twofactor", "AppDevice")
    RecoveryDevice = apps.get_model("twofactor", "RecoveryDevice")
    RecoveryCode = apps.get_model("twofactor", "RecoveryCode")

    for old in TOTPDevice.objects.order_by("pk"):
        new = _copy(AppDevice, old, COMMON + APP_FIELDS)
        sealed = sealing.app_key_seal(new.pk, bytes.fromhex(old.key))
        AppDevice.objects.filter(pk=new.pk).update(sealed_key=sealed)
        old.delete()

    for old in StaticDevice.objects.order_by("pk"):
        new = _copy(RecoveryDevice, old, COMMON)
        tokens = StaticToken.objects.filter(device=old)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=new, digest=sealing.recovery_code_digest(new.pk, token.token))
            for token in tokens
        )
        tokens.delete()
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("twofactor", "0001_initial"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        # The system keys live in mediation's DataKey table.
        ("mediation", "0005_httpdelivery"),
    ]

    operations = [
        migrations.RunPython(seal_existing, reverse_code=migrations.RunPython.noop, elidable=False)
    ]
