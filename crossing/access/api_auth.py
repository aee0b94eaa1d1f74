"""Bearer-token authentication for the REST API. Tokens are hashed at rest and expire."""

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from crossing.access.models import ApiToken
from crossing.access.policy import actor_for
from crossing.access.services import token_hash


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] not in (self.keyword, "Token"):
            return None
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(parts[1])).first()
        if token is None or token.revoked_at or token.expires_at <= timezone.now() or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if settings.CROSSING_REQUIRE_2FA and not token.two_factor_verified and actor_for(token.user).needs_two_factor:
            raise exceptions.AuthenticationFailed("This account needs a two-factor code when requesting a token.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TwoFactorSessionAuthentication(authentication.SessionAuthentication):
    """Browser sessions reach the API too: the same second-factor rule as the web pages applies."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.CROSSING_REQUIRE_2FA and not user.is_verified() and actor_for(user).needs_two_factor:
            raise exceptions.AuthenticationFailed("Verify your second factor before using the API from this session.")
        return result
