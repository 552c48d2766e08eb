"""The two kinds of conflict Tafel starts with; administrators may add others."""

from django.db import migrations

KINDS = [
    ("citizen_government", "Burger en overheid", "Citizens and government", 10),
    ("inter_group", "Tussen groepen in de samenleving", "Between groups in society", 20),
]


def create_kinds(apps, schema_editor):
    CaseKind = apps.get_model("cases", "CaseKind")
    for code, name_nl, name_en, position in KINDS:
        CaseKind.objects.get_or_create(
            code=code, defaults={"name_nl": name_nl, "name_en": name_en, "position": position}
        )


def remove_kinds(apps, schema_editor):
    apps.get_model("cases", "CaseKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
