from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import EmailPreferencesForm
from ..models import EmailPreference, Notification
from ..notifications import email_preferences_set, notifications_mark_read


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "units/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request):
    """Mark one notification read (and follow its link), or all of them."""
    if "id" in request.POST:
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
        notifications_mark_read(user=request.user, ids=ids)
    else:
        notifications_mark_read(user=request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications"
    return redirect(target)


@login_required
def email_preferences(request):
    opted_out = set(EmailPreference.objects.filter(user=request.user)
                    .values_list("kind", flat=True))
    form = EmailPreferencesForm(
        request.POST or None,
        initial={"emailed": [k for k in Notification.Kind.values if k not in opted_out]})
    if request.method == "POST" and form.is_valid():
        email_preferences_set(user=request.user, emailed_kinds=form.cleaned_data["emailed"])
        messages.success(request, _("Your email choices are saved."))
        return redirect("email_preferences")
    return render(request, "units/email_preferences.html", {"form": form})
