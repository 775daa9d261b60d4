from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """Demo and generated data: the demo county, its name lists and the province generator.

    The top layer: it builds every area's data through that area's services, and nothing
    below imports it (an install may leave it out of INSTALLED_APPS)."""

    name = "xieshang.devdata"
    label = "devdata"
    verbose_name = _("Demo data")
