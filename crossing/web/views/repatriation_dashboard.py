"""The repatriation dashboard: in progress (issue 5)."""

from django.http import Http404


def dashboard(request):
    raise Http404()
