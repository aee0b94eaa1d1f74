"""Request-wide access concerns: the client address for the audit log, and enforced 2FA."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from crossing.access.policy import actor_for
from crossing.access.request_context import client_ip, reset_ip, set_ip


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_ip(token)


class TwoFactorRequiredMiddleware:
    """Users whose roles reach sensitive sections, and every administrator, verify a TOTP device first."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.CROSSING_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
            and (user.is_staff or user.is_superuser or actor_for(user).needs_two_factor)
        ):
            return redirect(reverse("web:two-factor") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
