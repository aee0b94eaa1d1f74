"""Token login for the REST API. Failed attempts count towards the same lock-out as the web."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from crossing.access import services
from crossing.access.policy import actor_for


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenCreateApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenRequest"

        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=256, style={"input_type": "password"})
        otp = serializers.CharField(max_length=10, required=False, allow_blank=True,
                                    help_text="Six-digit TOTP code; required for roles that see sensitive sections.")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Token"

        token = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, auth=[], summary="Obtain a bearer token", operation_id="auth_token_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["username"], password=data.validated_data["password"])
        if user is None:
            return Response({"message": _("Wrong username or password, or the account is locked."), "extra": {}},
                            status=status.HTTP_401_UNAUTHORIZED)
        verified = False
        code = data.validated_data.get("otp", "").strip()
        if code:
            verified = services.two_factor_verify(user=user, code=code) is not None
            if not verified:
                return Response({"message": _("The two-factor code is not valid."), "extra": {}}, status=status.HTTP_401_UNAUTHORIZED)
        if settings.CROSSING_REQUIRE_2FA and not verified and actor_for(user).needs_two_factor:
            return Response({"message": _("This account needs a two-factor code (field 'otp')."), "extra": {}},
                            status=status.HTTP_401_UNAUTHORIZED)
        services.login_succeeded(user=user, channel="api")
        key, token = services.api_token_issue(user=user, two_factor_verified=verified)
        return Response(self.OutputSerializer({"token": key, "expires_at": token.expires_at}).data)
