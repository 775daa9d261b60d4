from __future__ import annotations

import datetime as dt
import uuid

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities.models import LearningMaterial, ReadingRecord
from xieshang.core import audit, uploads
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor, require
from xieshang.core.uploads import Upload
from xieshang.portal import images, selectors
from xieshang.portal.models import Article, Column, Image, Site, normalise_host
from xieshang.portal.permissions import can_edit, is_platform_admin
from xieshang.portal.sanitize import clean_html, images_in, paragraphs_text

ATTACHMENT_TYPES = frozenset({".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"})
MAX_ATTACHMENT_MB = 20


GENERATION_KEY = "portal:generation"


def public_pages_changed() -> None:
    """Retire every cached public page (their keys carry the generation number)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def check_attachment(upload: Upload) -> None:
    """Type by extension and content, and size (a renamed .exe is not a PDF)."""
    uploads.check_upload(upload, allowed=ATTACHMENT_TYPES, max_mb=MAX_ATTACHMENT_MB)


DEFAULT_COLUMNS = [("news", "政协新闻", "news"), ("notices", "通知公告", "notice"),
                   ("publications", "文史资料与出版物", "publication"),
                   ("learning", "学习园地", "learning")]


@transaction.atomic
def site_ensure(*, actor: Actor, committee: Committee) -> Site:
    require(actor.system or (can_edit(actor) and actor.acts_in(committee)))
    site, created = Site.objects.get_or_create(
        committee=committee, defaults={"title": committee.name,
                                       "contact": committee.contact_address})
    for order, (slug, name, kind) in enumerate(DEFAULT_COLUMNS):
        Column.objects.get_or_create(committee=committee, slug=slug,
                                     defaults={"name": name, "kind": kind, "order": order})
    if created:
        audit.record(actor, "site.create", site)
    return site


# The column other apps publish their records in (a meeting's results, its final texts).
MEETINGS_COLUMN = ("meetings", "会议动态", "news")


@transaction.atomic
def column_ensure(*, actor: Actor, committee: Committee, slug: str, name: str,
                  kind: str = Column.Kind.NEWS) -> Column:
    """The committee's site and its column ``slug`` (made if missing, as ``name``): for
    another app that puts its records on the website through ``article_save``."""
    site_ensure(actor=actor, committee=committee)
    column, created = Column.objects.get_or_create(
        committee=committee, slug=slug,
        defaults={"name": name, "kind": kind,
                  "order": Column.objects.filter(committee=committee).count()})
    if created:
        audit.record(actor, "column.create", column, after={"slug": slug, "name": name})
    return column


@transaction.atomic
def site_update(*, actor: Actor, site: Site, title: str, banner_text: str = "",
                host_name: str = "", contact: str = "", icp_number: str = "",
                is_public: bool = True) -> Site:
    require(is_platform_admin(actor) or (can_edit(actor) and actor.acts_in(site)))
    site = Site.objects.select_for_update().get(pk=site.pk)
    if normalise_host(host_name) != site.host_name:
        # Which host a site answers at is the platform's business, not the committee's.
        require(is_platform_admin(actor), _("The host name of a site is set by a platform "
                                            "administrator."))
    before = audit.snapshot(site)
    site.title, site.banner_text, site.contact = title.strip(), banner_text.strip(), contact
    site.host_name, site.icp_number, site.is_public = host_name, icp_number.strip(), is_public
    site.full_clean()
    site.save()
    b, a = audit.diff(before, audit.snapshot(site))
    audit.record(actor, "site.update", site, before=b, after=a)
    transaction.on_commit(lambda: selectors.forget_host(b.get("host_name", ""),
                                                        site.host_name))
    return site


def _may_write(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_edit(actor) and actor.acts_in(committee)))


@transaction.atomic
def image_upload(*, actor: Actor, committee: Committee, upload: Upload,
                 alt: str) -> Image:
    """Store a picture for the site (resized, re-encoded); its description is required."""
    _may_write(actor, committee)
    alt = " ".join((alt or "").split())
    if not alt:
        raise ValidationError(_("Describe the picture (alt text) for readers who cannot "
                                "see it."))
    processed = images.process(upload)
    ext = processed.name.rsplit(".", 1)[-1]
    row = Image(committee=committee, alt=alt[:200], width=processed.width,
                height=processed.height, size=processed.content.size, uploaded_by=actor.user)
    row.file.save(f"{uuid.uuid4().hex}.{ext}", processed.content, save=False)
    row.full_clean()
    row.save()
    audit.record(actor, "image.upload", row, after={"alt": row.alt, "width": row.width,
                                                    "height": row.height, "size": row.size})
    return row


def _check_body_images(body: str) -> None:
    if any(not img.get("alt", "").strip() for img in images_in(body)):
        raise ValidationError(_("Every picture in the text needs a description (alt text)."))


@transaction.atomic
def article_save(*, actor: Actor, committee: Committee, column: Column, title: str, body: str,
                 summary: str = "", audience: str = Article.Audience.PUBLIC,
                 publish_at: dt.datetime | None = None, attachment: Upload | None = None,
                 cover: Upload | None = None, cover_alt: str = "",
                 remove_cover: bool = False,
                 article: Article | None = None, version: int | None = None) -> Article:
    _may_write(actor, committee)
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
    _check_body_images(article.body)
    article.audience = audience
    article.edited_by = actor.user
    if publish_at is not None:
        article.publish_at = publish_at
    if attachment is not None:
        check_attachment(attachment)
        article.attachment = attachment
    cover_alt = " ".join((cover_alt or "").split())
    if cover is not None:
        article.cover = image_upload(actor=actor, committee=committee, upload=cover,
                                     alt=cover_alt)
    elif remove_cover:
        article.cover = None
    elif article.cover is not None and cover_alt and cover_alt != article.cover.alt:
        article.cover.alt = cover_alt[:200]
        article.cover.save(update_fields=["alt"])
    article.version += 1
    article.full_clean()
    article.save()
    b, a = audit.diff(before, audit.snapshot(article))
    audit.record(actor, "article.save", article, before=b, after=a)
    return article


# --- the learning library ---------------------------------------------------------------


@transaction.atomic
def learning_material_sync(*, actor: Actor, article: Article) -> LearningMaterial | None:
    """Make a live learning-library article a learning material of the activities app.

    The material carries the article's title and plain text (the activities app shows it on
    its own learning page, for members who open it there) and the article's publication day;
    members' reading records hang on the material, so reading on the site and reading in the
    activities app count the same for the learning coverage. Called when an article is
    published (if it is already due) and when a member first opens it (for one scheduled for
    later): a material never appears before its article does.
    """
    require(actor.system or actor.acts_in(article))
    article = (Article.objects.select_for_update(of=("self",)).select_related("column")
               .get(pk=article.pk))
    if not (article.is_learning and article.is_live):
        return None
    text = paragraphs_text(article.body) or article.title
    day = timezone.localtime(article.publish_at).date()
    material = article.learning_material
    if material is None:
        material = LearningMaterial(committee_id=article.committee_id,
                                    audience=LearningMaterial.Audience.ALL,
                                    created_by=article.author)
        action = "material.create"
    elif (material.title, material.text, material.published_on) == (article.title, text, day):
        return material
    else:
        action = "material.update"
    material.title, material.text, material.published_on = article.title[:200], text, day
    material.full_clean()
    material.save()
    if article.learning_material_id != material.pk:
        article.learning_material = material
        article.save(update_fields=["learning_material", "updated_at"])
    audit.record(actor, action, material, after={"title": material.title,
                                                 "article": article.pk})
    return material


def learning_material_retire(*, actor: Actor, article: Article) -> None:
    """A withdrawn article's material goes too, unless members have read it already (then it
    stays, with their reading records, so the coverage they earned is not lost)."""
    material = article.learning_material
    if material is None:
        return
    if ReadingRecord.objects.filter(material=material).exists():
        return
    audit.record(actor, "material.delete", material, before={"title": material.title,
                                                             "article": article.pk})
    Article.objects.filter(pk=article.pk).update(learning_material=None)
    article.learning_material = None
    material.delete()
