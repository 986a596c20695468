"""Forms of planning's pages: a person on the relationship map, a contact logged."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kamapp.forms import IsoDateInput

from .models import Contact, ContactLogEntry


def _owner_choices():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class ContactForm(forms.Form):
    """A person at `customer`; their boss is one of the account's other present people."""

    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    reports_to = forms.ModelChoiceField(
        label=_("Reports to"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("Nobody on the map"),
    )
    buying_role = forms.ChoiceField(label=_("Role in buying"), choices=Contact.BuyingRole.choices)
    stance = forms.ChoiceField(
        label=_("Stance towards us"), choices=Contact.Stance.choices, initial="neutral"
    )
    relationship_owner = forms.ModelChoiceField(
        label=_("Relationship owner (our side)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args, customer, contact: Contact | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        bosses = Contact.objects.filter(customer=customer, active=True)
        if contact is not None:
            bosses = bosses.exclude(pk=contact.pk)
        self.fields["reports_to"].queryset = bosses
        self.fields["relationship_owner"].queryset = _owner_choices()
        self.fields["relationship_owner"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )

    @staticmethod
    def initial_of(contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in ContactForm.base_fields}


class ContactLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=IsoDateInput)
    contact = forms.ModelChoiceField(
        label=_("Contact person"), queryset=Contact.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLogEntry.Channel.choices)
    touch_point = forms.ChoiceField(
        label=_("Touch point"), choices=ContactLogEntry.TouchPoint.choices
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(customer=customer, active=True)
