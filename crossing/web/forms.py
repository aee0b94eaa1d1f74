"""Forms of the web interface; they check shape, services check the domain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crossing.core import countries
from crossing.registry.models import Custodian, NameKind, Sex, VulnerabilityKind
from crossing.repatriation.models import MovementKind

LANGUAGE_CHOICES = [
    ("", "—"), ("zh", "中文"), ("th", "ไทย"), ("my", "မြန်မာ"), ("vi", "Tiếng Việt"), ("en", "English"),
    ("hi", "हिन्दी"), ("am", "አማርኛ"), ("id", "Bahasa Indonesia"), ("tl", "Filipino"), ("ur", "اردو"), ("ms", "Bahasa Melayu"),
    ("sw", "Kiswahili"), ("ne", "नेपाली"), ("si", "සිංහල"), ("bn", "বাংলা"), ("uz", "Oʻzbek"), ("fr", "Français"),
]


def nationality_choices():
    return [("", "—")] + countries.choices()


class IntakeForm(forms.Form):
    full_name = forms.CharField(label=_("Name as in passport (Latin letters)"), max_length=300, required=False)
    native_name = forms.CharField(label=_("Name in own script"), max_length=300, required=False)
    compound_name = forms.CharField(label=_("Name used in the compound"), max_length=300, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, max_length=20,
                                    help_text=_("YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or only the year"))
    age_estimate = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=100)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    passport_number = forms.CharField(label=_("Passport or ID number"), max_length=64, required=False)
    document_custodian = forms.ChoiceField(label=_("Where is the document now?"), choices=Custodian.choices, initial=Custodian.HOLDER)
    compound = forms.ChoiceField(label=_("Compound where held"), required=False)
    facility = forms.ChoiceField(label=_("Holding facility now"), required=False)
    handed_over_by = forms.CharField(label=_("Handed over by"), max_length=200, required=False)
    vulnerabilities = forms.MultipleChoiceField(label=_("Vulnerabilities"), choices=VulnerabilityKind.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=_("Family contact: name"), max_length=200, required=False)
    contact_relationship = forms.CharField(label=_("Family contact: relationship"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Family contact: phone (with country code)"), max_length=32, required=False)
    contact_consent = forms.BooleanField(label=_("The person consents to us contacting this relative"), required=False)
    confirm_new = forms.BooleanField(label=_("I checked the possible matches: this is a new person"), required=False)

    def __init__(self, *args, compounds=(), facilities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices()
        self.fields["compound"].choices = [("", "—")] + [(str(c.pk), c.name) for c in compounds]
        self.fields["facility"].choices = [("", "—")] + [(str(f.pk), f.name) for f in facilities]

    def clean(self):
        data = super().clean()
        if not (data.get("full_name") or "").strip() and not (data.get("native_name") or "").strip():
            raise forms.ValidationError(_("Enter at least one name."))
        phone = (data.get("contact_phone") or "").replace(" ", "")
        if phone and not (phone.startswith("+") and phone[1:].isdigit() and 8 <= len(phone) <= 16):
            self.add_error("contact_phone", _("Use the international format, for example +254712345678."))
        data["contact_phone"] = phone
        return data


class AddNameForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=NameKind.choices, initial=NameKind.ALIAS)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)


class CustodianForm(forms.Form):
    custodian = forms.ChoiceField(label=_("Where is the document now?"), choices=Custodian.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Handover list (CSV or XLSX) or a field intake export (ODK Central, KoboToolbox)"))
    mapping = forms.CharField(
        label=_("Column mapping (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: canonical=Header in your file, for example full_name=Name (English)"),
    )
    encoding = forms.CharField(label=_("Encoding if not UTF-8"), required=False, max_length=20)


class MoveForm(forms.Form):
    facility = forms.ChoiceField(label=_("Move to"), required=False)
    status = forms.ChoiceField(label=_("New status"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    hold_override_reason = forms.CharField(
        label=_("Non-punishment hold: written reason for placing this person in immigration detention"),
        required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, facilities=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].choices = [("", _("Check out (leaves the facility)"))] + [(str(f.pk), f.name) for f in facilities]
        self.fields["status"].choices = [("", "—")] + list(statuses)


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("Record reference"), max_length=20)
    reason = forms.CharField(label=_("Why do you need emergency access?"), widget=forms.Textarea(attrs={"rows": 3}), min_length=15)


class DenyForm(forms.Form):
    reference = forms.CharField(label=_("Record reference"), max_length=20)
    username = forms.CharField(label=_("Bar this user"), required=False, max_length=150)
    agency = forms.ChoiceField(label=_("or bar this agency"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(str(a.pk), a.name) for a in agencies]


class HeadcountForm(forms.Form):
    men = forms.IntegerField(label=_("Men"), min_value=0)
    women = forms.IntegerField(label=_("Women"), min_value=0)
    minors = forms.IntegerField(label=_("Minors"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("same", _("Same person: merge")), ("different", _("Different people"))])
    survivor = forms.UUIDField(required=False)
    note = forms.CharField(label=_("Why (optional)"), max_length=500, required=False)


class UnmergeForm(forms.Form):
    reason = forms.CharField(label=_("Why is the merge undone?"), max_length=500)


class LinkListsForm(forms.Form):
    list_a = forms.FileField(label=_("List A (CSV or XLSX, canonical columns)"))
    list_b = forms.FileField(label=_("List B (CSV or XLSX, canonical columns)"))
    threshold = forms.FloatField(label=_("Minimum match probability"), initial=0.5, min_value=0.01, max_value=0.99)


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    reference = forms.CharField(label=_("Reference"), max_length=40)
    carrier = forms.CharField(label=_("Carrier"), max_length=120, required=False)
    origin = forms.CharField(label=_("Leaves from"), max_length=120)
    departs_at = forms.DateTimeField(label=_("Departs at (local time)"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    destinations = forms.CharField(label=_("Destination countries"), max_length=200,
                                   help_text=_("ISO alpha-3 codes separated by commas, e.g. KEN, UGA"))
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000)
    cost = forms.DecimalField(label=_("Cost"), required=False, min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MovementKind.choices

    def clean_destinations(self):
        return [c.strip().upper() for c in self.cleaned_data["destinations"].replace(";", ",").split(",") if c.strip()]
