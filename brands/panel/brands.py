"""Brands: list, create, edit (a ModelForm for the fields, brands.services for the write), and
delete: an owner's decision, confirmed in a dialog that names its consequences in numbers
(brands.brand_deletion.deletion_impact) and by typing the brand's name, checked here too."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import FormView, TemplateView

from brands import selectors, services
from brands.brand_deletion import deletion_impact
from brands.models import Brand
from brands.panel.base import PanelMixin, rule_errors
from brands.panel.forms import BrandDeleteForm, BrandForm
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
        if self.is_owner:  # only owners delete brands: the others are not shown the danger zone
            kwargs.setdefault("delete_form", BrandDeleteForm(brand=brand))
            kwargs["impact"] = deletion_impact(brand)
        return super().get_context_data(brand=brand, saved_name=self.saved_name, is_owner=self.is_owner,
                                        sections=brand_sections(self.request, brand), **kwargs)

    def form_valid(self, form):
        try:
            brand = services.brand_update(brand=self.brand, **form.cleaned_data)
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        return self.done(reverse("panel:brand-list"), gettext("Brand “%(name)s” saved.") % {"name": brand.name})


class BrandDeleteView(BrandEditView):
    """POST only. A wrong or missing name: the brand's page again (400) with the dialog open and
    the error beside the field; done: the brand list, with the notice announced (role=status)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        brand = self.brand
        if not self.is_owner:
            raise PermissionDenied(gettext("Only an owner of the account can delete a brand."))
        form = BrandDeleteForm(request.POST, brand=brand)
        if not form.is_valid():
            context = self.get_context_data(form=BrandForm(instance=brand), delete_form=form)
            return self.render_to_response(context, status=400)
        try:
            services.brand_delete(account=self.account, brand=brand)
        except Brand.DoesNotExist:  # deleted by someone else a moment ago
            return self.done(reverse("panel:brand-list"), gettext("Brand “%(name)s” was deleted already.") % {"name": brand.name})
        return self.done(reverse("panel:brand-list"), gettext("Brand “%(name)s” deleted. Its charges stay on your invoice.") % {"name": brand.name})
