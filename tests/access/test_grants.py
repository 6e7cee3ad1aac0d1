import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from poles.access.models import Grant
from poles.access.roles import Role

pytestmark = pytest.mark.django_db


def test_the_same_grant_cannot_be_given_twice_even_without_a_target(cluster_a):
    user = get_user_model().objects.create_user("twice")
    Grant.objects.create(user=user, role=Role.NATIONAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(user=user, role=Role.NATIONAL)
    Grant.objects.create(user=user, role=Role.MANAGER, cluster=cluster_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(user=user, role=Role.MANAGER, cluster=cluster_a)


def test_a_manager_grant_needs_its_cluster():
    user = get_user_model().objects.create_user("nocluster")
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(user=user, role=Role.MANAGER)
