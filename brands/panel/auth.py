"""Sign-up (a new account and its owner, then logged in), accepting a member invitation (Django's
set-password view with our template) and asking for a password reset (Django's view behind rate
limits). Log-in, log-out and setting the new password are Django's own views with our templates
(config/urls.py)."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView

from brands import services
from brands.panel.base import rule_errors
from brands.panel.forms import SignupForm
from core.ratelimit import client_ip, hit


class SignupView(FormView):
    template_name = "registration/signup.html"
    form_class = SignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("panel:dashboard")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            _, user, _ = services.account_create(
                company_name=data["company"], country=data["country"], plan=data["plan"],
                email=data["email"], password=data["password"],
            )
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        # The API key made with the account is not shown here: the panel makes new ones on demand.
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(reverse("panel:dashboard") + "?welcome=1")


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    """The link of an invitation: the new member chooses a password and is logged in."""

    template_name = "registration/invite_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("panel:dashboard")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address (`password_reset`) and per e-mail
    asked for (`password_reset_account`), so nobody can flood a member's inbox.

    Past either limit no e-mail goes out and the answer is the same "sent" page as always, as it
    is for an address with no account: the page never says whether an account exists. The e-mail
    limit counts every request for it, so a flood also holds back the member's own request for the
    rest of the hour; the link of an earlier e-mail still works.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # Not counted against the e-mail when the address is already refused: one noisy address
        # does not use up a member's own requests.
        allowed = (
            hit("password_reset", client_ip(self.request)).allowed
            and hit("password_reset_account", form.cleaned_data["email"].strip().lower()).allowed
        )
        if allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
