"""Pages (placeholder until the web issue): the first page lists the clusters."""

from django.shortcuts import render

from poles.registry.models import Cluster


def home(request):
    clusters = Cluster.objects.prefetch_related("regions").order_by("name")
    return render(request, "web/home.html", {"clusters": clusters})
