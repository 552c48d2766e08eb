"""Drop the plain needs columns, blanked by 0003 after their values were sealed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("parties", "0003_sealed_needs")]

    operations = [
        migrations.RemoveField(model_name="party", name="interpreter_language"),
        migrations.RemoveField(model_name="party", name="other_needs"),
    ]
