"""Django admin for administrators only: agencies, teams, roles and grants, memberships, deny list.

Person data is deliberately not registered here: it is read only through the access layer.
Every change is written to the audit log as a permission change.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from crossing.access import services
from crossing.access.models import Agency, DenyEntry, Grant, Membership, Role, Team
from crossing.access.policy import actor_for


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.permission_change_recorded(actor=actor_for(request.user), subject_type=obj._meta.model_name,
                                            subject_id=obj.pk, change="updated" if change else "created",
                                            detail={"fields": sorted(form.changed_data)})

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        services.permission_change_recorded(actor=actor_for(request.user), subject_type=obj._meta.model_name,
                                            subject_id=pk, change="deleted")

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            services.permission_change_recorded(actor=actor_for(request.user), subject_type=form.instance._meta.model_name,
                                                subject_id=form.instance.pk, change="grants changed")


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 1


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["name", "is_supervisor", "description"]
    inlines = [GrantInline]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "agency"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "agency", "role", "team", "facility", "nationality", "valid_until"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["agency"]


@admin.register(DenyEntry)
class DenyEntryAdmin(admin.ModelAdmin):
    """Read-only here: entries are added and revoked on the Oversight page, through the service."""

    list_display = ["person", "user", "agency", "reason", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


def _admin_login(request, extra_context=None):
    """The admin uses Crossing's own login (lock-out, audit, two-factor)."""
    return redirect(f"{reverse('web:login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


admin.site.login = _admin_login


def _has_permission(request) -> bool:
    """Staff status alone is not enough: the admin is for holders of access_admin.manage."""
    user = request.user
    return bool(user.is_active and user.is_staff
                and (user.is_superuser or actor_for(user).can("access_admin", "manage")))


admin.site.has_permission = _has_permission
