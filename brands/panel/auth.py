"""Sign-up (a new account and its owner, then logged in) and accepting a member invitation
(Django's set-password view with our template). Log-in, log-out and password reset are Django's
own views with our templates (config/urls.py)."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView

from brands import services
from brands.panel.base import rule_errors
from brands.panel.forms import SignupForm


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
