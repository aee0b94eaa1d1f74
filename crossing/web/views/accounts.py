"""Login with lock-out, logout, and TOTP two-factor enrolment and verification."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from crossing.access import services
from crossing.access.request_context import client_ip


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("Wrong username or password, or the account is locked. After repeated failures "
                                      "an account is locked for a while."),
        "inactive": gettext_lazy("This account is disabled."),
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


LOGIN_ATTEMPTS_PER_IP = 30
LOGIN_WINDOW_SECONDS = 600


def _too_many_attempts(request) -> bool:
    """Per-address throttle, so guessing across many usernames cannot flood the audit log."""
    key = "login-attempts:" + client_ip(request)
    cache.add(key, 0, LOGIN_WINDOW_SECONDS)
    return cache.incr(key) > LOGIN_ATTEMPTS_PER_IP


def login_view(request):
    if request.method == "POST" and _too_many_attempts(request):
        return render(request, "web/accounts/login.html", {"form": LoginForm(request), "throttled": True}, status=429)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        services.login_succeeded(user=user)
        return redirect(_safe_next(request, "/"))
    return render(request, "web/accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_recorded(user=request.user)
    logout(request)
    return redirect("web:login")


@login_required
def two_factor_view(request):
    """Verify a TOTP code; a user without a device enrols one first (scan the QR code)."""
    pending = services.two_factor_enrolment_device(user=request.user)
    if request.method == "POST":
        device = services.two_factor_verify(user=request.user, code=request.POST.get("token", ""), allow_enrolment=True)
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request, "/"))
        messages.error(request, _("That code is not valid. Check the time on your phone and try again."))
    context = {"enrol": pending is not None, "next": request.GET.get("next", "")}
    if pending is not None:
        image = qrcode.make(pending.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = BytesIO()
        image.save(buffer)
        context["qr"] = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    return render(request, "web/accounts/two_factor.html", context)
