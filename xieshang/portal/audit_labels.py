"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "site.create": pgettext_lazy("audit", "Set up the website"),
    "column.create": pgettext_lazy("audit", "Added a column to the website"),
    "site.update": pgettext_lazy("audit", "Changed the website's settings"),
    "article.save": pgettext_lazy("audit", "Saved an article"),
    "image.upload": pgettext_lazy("audit", "Uploaded a picture"),
    "material.create": pgettext_lazy("audit", "Added a learning material"),
    "material.update": pgettext_lazy("audit", "Changed a learning material"),
    "material.delete": pgettext_lazy("audit", "Withdrew a learning material"),
}
