"""Authentication that refuses locked accounts and counts failures (web and API share it)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from crossing.access import services


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is not None and services.login_is_locked(user):
            services.login_failed(username=username, user=user)
            return None
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if authenticated is None:
            services.login_failed(username=username, user=user)
        return authenticated
