"""Grants and API tokens move from `core` to `access` without touching their tables.

The tables exist already (created by core 0002/0003 under the names `core_grant` and
`core_apitoken`, kept through `db_table`): only Django's model state moves.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0003_grant_unique_on_both_databases'),
        ('registry', '0001_initial'),
        ('territories', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('prefix', models.CharField(help_text='First characters, to recognise it.', max_length=12)),
                        ('digest', models.CharField(max_length=64, unique=True)),
                        ('created', models.DateTimeField(auto_now_add=True)),
                        ('last_used', models.DateTimeField(blank=True, null=True)),
                        ('revoked', models.DateTimeField(blank=True, null=True)),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'core_apitoken',
                        'ordering': ['-created'],
                    },
                ),
                migrations.CreateModel(
                    name='Grant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('admin', 'platform administrator'), ('national', 'national programme officer'), ('regional', 'regional officer'), ('manager', 'cluster manager'), ('member', 'member representative'), ('reviewer', 'reviewer')], max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='registry.cluster')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='registry.organisation')),
                        ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='territories.region')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grants', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'core_grant',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('role', 'manager'), _negated=True), ('cluster__isnull', False), _connector='OR'), name='grant_manager_has_cluster'), models.CheckConstraint(condition=models.Q(models.Q(('role', 'regional'), _negated=True), ('region__isnull', False), _connector='OR'), name='grant_regional_has_region'), models.CheckConstraint(condition=models.Q(models.Q(('role', 'member'), _negated=True), ('organisation__isnull', False), _connector='OR'), name='grant_member_has_organisation'), models.UniqueConstraint(models.F('user'), models.F('role'), django.db.models.functions.comparison.Coalesce('cluster', models.Value(0)), django.db.models.functions.comparison.Coalesce('region', models.Value('')), django.db.models.functions.comparison.Coalesce('organisation', models.Value(0)), name='grant_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
