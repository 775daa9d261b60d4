"""Policy numbers of the opinions app (per committee, with the defaults of reference/domain.md)."""

from django.utils.translation import gettext_lazy as _

from xieshang.core import policy

MAX_LENGTH = "opinions.max_length"
QUOTA_STANDING = "opinions.quota_standing"
QUOTA_MEMBER = "opinions.quota_member"
ATTACHMENT_MAX_MB = "opinions.attachment_max_mb"
TOPICS_PER_IP_HOUR = "opinions.topics_per_ip_hour"

policy.register(MAX_LENGTH, 1500, _("Maximum length of a public-opinion report (characters)"))
policy.register(QUOTA_STANDING, 3, _("Public-opinion reports a standing member owes each year"))
policy.register(QUOTA_MEMBER, 1, _("Public-opinion reports a member owes each year"))
policy.register(ATTACHMENT_MAX_MB, 10, _("Largest attachment of a report (MB)"))
policy.register(TOPICS_PER_IP_HOUR, 5, _("Public topics accepted from one address per hour"))

ALLOWED_ATTACHMENT_TYPES = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "txt", "jpg", "jpeg", "png"})
