"""Profiles' mission and themes in French and English; existing text moves to the language it is in."""

from django.db import migrations, models

from poles.registry.content import detect_language, text_of


def sort_by_language(apps, schema_editor):
    """Text the sources gave in English moves from the French field to the English one."""
    Cluster = apps.get_model("registry", "Cluster")
    for cluster in Cluster.objects.all().only("pk", "mission_fr", "themes_fr"):
        changed = []
        if cluster.mission_fr and detect_language(cluster.mission_fr) == "en":
            cluster.mission_en, cluster.mission_fr = cluster.mission_fr, ""
            changed += ["mission_fr", "mission_en"]
        if cluster.themes_fr and detect_language(text_of(cluster.themes_fr)) == "en":
            cluster.themes_en, cluster.themes_fr = cluster.themes_fr, []
            changed += ["themes_fr", "themes_en"]
        if changed:
            cluster.save(update_fields=changed)


def join_languages(apps, schema_editor):
    """Back to one field: the French text, else the English one."""
    Cluster = apps.get_model("registry", "Cluster")
    for cluster in Cluster.objects.all().only("pk", "mission_fr", "mission_en", "themes_fr", "themes_en"):
        if not cluster.mission_fr and cluster.mission_en:
            cluster.mission_fr = cluster.mission_en
        if not cluster.themes_fr and cluster.themes_en:
            cluster.themes_fr = cluster.themes_en
        cluster.save(update_fields=["mission_fr", "themes_fr"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_refold_name_keys")]

    operations = [
        migrations.RenameField("cluster", "mission", "mission_fr"),
        migrations.RenameField("cluster", "themes", "themes_fr"),
        migrations.AlterField("cluster", "mission_fr", models.TextField(blank=True, verbose_name="mission (French)")),
        migrations.AlterField("cluster", "themes_fr", models.JSONField(blank=True, default=list, verbose_name="themes (French)")),
        migrations.AddField("cluster", "mission_en", models.TextField(blank=True, verbose_name="mission (English)")),
        migrations.AddField("cluster", "themes_en", models.JSONField(blank=True, default=list, verbose_name="themes (English)")),
        migrations.RunPython(sort_by_language, join_languages),
    ]
