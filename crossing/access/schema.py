"""OpenAPI description of the bearer-token authentication (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "crossing.access.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Token from POST /api/v1/auth/token; expires after CROSSING_API_TOKEN_HOURS."}


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "crossing.access.api_auth.TwoFactorSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "A browser session; roles with sensitive grants must have verified their second factor."}
