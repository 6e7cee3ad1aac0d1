"""Grants and API tokens now belong to the access layer (`access.0001`); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_grant_unique_on_both_databases'),
        ('access', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ApiToken'),
                migrations.DeleteModel(name='Grant'),
            ],
            database_operations=[],
        ),
    ]
