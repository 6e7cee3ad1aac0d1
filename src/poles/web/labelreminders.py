"""The daily reminder of expiring excellence labels: each label's managers are e-mailed once per
milestone (90, 30, 7 days before expiry and on the day), French then English; the national officers
get one digest of the reminders sent. Run by `poles labels_reminders` (e.g. from cron, daily)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from poles.access.models import Grant
from poles.access.roles import Role
from poles.core.i18n import SEPARATOR, in_every_language
from poles.registry.labelrules import REMINDER_DAYS, due_reminder, passed_milestones
from poles.registry.labelstatus import expiring_labels
from poles.registry.models import Cluster, LabelReminder
from poles.web.templatetags.web import level_name


@dataclass(frozen=True)
class Sent:
    """One reminder: the cluster, the label's level and expiry, the milestone, the addresses."""

    cluster: str
    level: str
    expires: dt.date
    days_left: int
    milestone: int
    addresses: tuple[str, ...]


def _addresses(user_ids) -> list[str]:
    return sorted(set(get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)
                      .exclude(email="").values_list("email", flat=True)))


def _managers() -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for cluster_id, user_id in Grant.objects.filter(role=Role.MANAGER, status=Grant.Status.ACTIVE) \
            .values_list("cluster_id", "user_id"):
        found[cluster_id].add(user_id)
    return found


def _text(cluster: str, level: str, expires: dt.date, left: int) -> tuple[str, str]:
    subject = in_every_language(lambda: _("Excellence label of %(cluster)s: expires on %(date)s") % {
        "cluster": cluster, "date": expires.isoformat()}).replace(SEPARATOR, " / ")
    body = in_every_language(lambda: "\n".join([
        ngettext("The %(level)s excellence label of %(cluster)s expires in %(n)d day, on %(date)s.",
                 "The %(level)s excellence label of %(cluster)s expires in %(n)d days, on %(date)s.", left)
        % {"level": level_name(level), "cluster": cluster, "n": left, "date": expires.isoformat()},
        _("Record its renewal in the cluster's workspace: %(url)s") % {
            "url": settings.SITE_URL.rstrip("/") + "/workspace/"},
    ]))
    return subject, body


def send_reminders(today: dt.date | None = None, *, dry_run: bool = False) -> list[Sent]:
    """Send the reminders due today; each milestone of a label is recorded so it goes only once."""
    today = today or dt.date.today()
    managers = _managers()
    sent: list[Sent] = []
    messages: list[EmailMessage] = []
    ids = list(Cluster.objects.values_list("pk", flat=True))
    window = max(REMINDER_DAYS)
    with transaction.atomic():
        for item in expiring_labels(ids, today, window):
            label = item.label
            done = set(LabelReminder.objects.filter(label=label).values_list("days_before", flat=True))
            milestone = due_reminder(item.days_left, done)
            if milestone is None:
                continue
            addresses = tuple(_addresses(managers.get(label.cluster_id, ())))
            sent.append(Sent(item.cluster.name, label.level, label.expires, item.days_left, milestone, addresses))
            if dry_run:
                continue
            LabelReminder.objects.bulk_create(
                [LabelReminder(label=label, days_before=m) for m in passed_milestones(item.days_left) if m not in done])
            subject, body = _text(item.cluster.name, label.level, label.expires, item.days_left)
            messages += [EmailMessage(subject, body, None, [address]) for address in addresses]
        if sent and not dry_run:
            officers = Grant.objects.filter(role=Role.NATIONAL, status=Grant.Status.ACTIVE).values_list("user_id", flat=True)
            lines = [f"{s.cluster} — {level_name(s.level)} — {s.expires.isoformat()} ({s.days_left})" for s in sent]
            subject = in_every_language(lambda: ngettext(
                "%(n)d excellence label expires soon", "%(n)d excellence labels expire soon", len(sent))
                % {"n": len(sent)}).replace(SEPARATOR, " / ")
            body = in_every_language(lambda: _("Reminders sent today to the clusters' managers:") + "\n" + "\n".join(lines))
            messages += [EmailMessage(subject, body, None, [address]) for address in _addresses(officers)]
    if messages:
        get_connection().send_messages(messages)
    return sent
