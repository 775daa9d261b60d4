from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor, require
from xieshang.portal.models import Article, Column, Site
from xieshang.portal.permissions import can_edit
from xieshang.portal.sanitize import clean_html

ATTACHMENT_TYPES = {".pdf": b"%PDF", ".docx": b"PK", ".xlsx": b"PK", ".jpg": b"\xff\xd8",
                    ".jpeg": b"\xff\xd8", ".png": b"\x89PNG"}
MAX_ATTACHMENT = 20 * 1024 * 1024


def check_attachment(upload: UploadedFile) -> None:
    """Type by extension and content, and size (a renamed .exe is not a PDF)."""
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError(_("Only PDF, Word/Excel (.docx/.xlsx) and JPEG/PNG files are "
                                "accepted."))
    if upload.size is not None and upload.size > MAX_ATTACHMENT:
        raise ValidationError(_("The file is larger than 20 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise ValidationError(_("The file's content does not match its type."))


DEFAULT_COLUMNS = [("news", "政协新闻", "news"), ("notices", "通知公告", "notice"),
                   ("publications", "文史资料与出版物", "publication"),
                   ("learning", "学习园地", "learning")]


@transaction.atomic
def site_ensure(*, actor: Actor, committee: Committee) -> Site:
    require(actor.system or (can_edit(actor) and actor.committee == committee))
    site, created = Site.objects.get_or_create(
        committee=committee, defaults={"title": committee.name,
                                       "contact": committee.contact_address})
    for order, (slug, name, kind) in enumerate(DEFAULT_COLUMNS):
        Column.objects.get_or_create(committee=committee, slug=slug,
                                     defaults={"name": name, "kind": kind, "order": order})
    if created:
        audit.record(actor, "site.create", site)
    return site


@transaction.atomic
def article_save(*, actor: Actor, committee: Committee, column: Column, title: str, body: str,
                 summary: str = "", audience: str = Article.Audience.PUBLIC,
                 publish_at: dt.datetime | None = None, attachment: UploadedFile | None = None,
                 article: Article | None = None, version: int | None = None) -> Article:
    require(actor.system or (can_edit(actor) and actor.committee == committee))
    require(column.committee_id == committee.id)
    if article is not None:
        article = Article.objects.select_for_update().get(pk=article.pk)
        require(article.committee_id == committee.id)
        if version is not None and article.version != version:
            raise ValidationError(_("This article was changed by someone else; reload and "
                                    "retry."))
        if article.status not in (Article.Status.DRAFT, Article.Status.REVIEW):
            raise ValidationError(_("Only drafts and articles under review can be edited."))
    before = audit.snapshot(article) if article else {}
    article = article or Article(committee=committee, author=actor.user)
    article.column, article.title, article.summary = column, title.strip(), summary.strip()
    article.body = clean_html(body)
    article.audience = audience
    if publish_at is not None:
        article.publish_at = publish_at
    if attachment is not None:
        check_attachment(attachment)
        article.attachment = attachment
    article.version += 1
    article.full_clean()
    article.save()
    b, a = audit.diff(before, audit.snapshot(article))
    audit.record(actor, "article.save", article, before=b, after=a)
    return article
