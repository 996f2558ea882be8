"""Brands: list, create, edit (a ModelForm for the fields, brands.services for the write)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import FormView, TemplateView

from brands import selectors, services
from brands.models import Brand
from brands.panel.base import PanelMixin, rule_errors
from brands.panel.forms import BrandForm
from brands.panel.sections import brand_sections


class BrandListView(PanelMixin, TemplateView):
    template_name = "panel/brands/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(brands=selectors.brand_list(account=self.account), **kwargs)


class BrandCreateView(PanelMixin, FormView):
    template_name = "panel/brands/form.html"
    form_class = BrandForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Brand(account=self.account)}

    def form_valid(self, form):
        try:
            brand = services.brand_create(account=self.account, **form.cleaned_data)
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        return self.done(
            reverse("panel:notifications", args=[brand.pk, "email"]),
            gettext("Brand “%(name)s” created. Now choose which messages it sends.") % {"name": brand.name},
        )


class BrandEditView(PanelMixin, FormView):
    template_name = "panel/brands/form.html"
    form_class = BrandForm

    @property
    def brand(self) -> Brand:
        if not hasattr(self, "_brand"):
            self._brand = self.brand_or_404(self.kwargs["pk"])
            self.saved_name = self._brand.name  # the form edits the instance in place while validating
        return self._brand

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.brand}

    def get_context_data(self, **kwargs):
        brand = self.brand
        return super().get_context_data(brand=brand, saved_name=self.saved_name,
                                        sections=brand_sections(self.request, brand), **kwargs)

    def form_valid(self, form):
        try:
            brand = services.brand_update(brand=self.brand, **form.cleaned_data)
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        return self.done(reverse("panel:brand-list"), gettext("Brand “%(name)s” saved.") % {"name": brand.name})
