"""Pictures: recognised by content, resized to at most 1600 px wide, re-encoded, described."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from tests.portal.conftest import picture, publish
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.portal import images, services
from xieshang.portal.models import Article, Column, Image

pytestmark = pytest.mark.django_db


def upload(county, file, alt="会场全景"):
    return services.image_upload(actor=Actor.for_system(county), committee=county,
                                 upload=file, alt=alt)


def stored(image: Image) -> PILImage.Image:
    with image.file.open("rb") as fh:
        img = PILImage.open(io.BytesIO(fh.read()))
        img.load()
        return img


def test_text_file_named_like_a_picture_is_refused(county, site):
    with pytest.raises(ValidationError):
        upload(county, SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff but then plain text",
                                          content_type="image/jpeg"))
    assert not Image.objects.exists()


def test_svg_with_a_script_is_refused(county, site):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        upload(county, SimpleUploadedFile("logo.png", svg, content_type="image/png"))


def test_other_picture_formats_are_refused(county, site):
    """A real picture, but in a format the site does not take (BMP named .jpg)."""
    buf = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buf, format="BMP")
    with pytest.raises(ValidationError):
        upload(county, SimpleUploadedFile("scan.jpg", buf.getvalue(), content_type="image/jpeg"))


def test_a_huge_canvas_is_refused_before_decoding(county, site):
    """A few hundred bytes claiming 30000×30000 pixels (a decompression bomb)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2,
                                                             0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))
    with pytest.raises(ValidationError):
        upload(county, SimpleUploadedFile("bomb.png", png, content_type="image/png"))


def test_a_wide_picture_is_resized_to_1600_pixels(county, site, media):
    image = upload(county, picture(3200, 1800))
    assert (image.width, image.height) == (1600, 900)
    assert stored(image).size == (1600, 900)
    assert Path(image.file.path).is_relative_to(media / "portal" / "images")


def test_a_small_picture_keeps_its_size(county, site):
    image = upload(county, picture(800, 600))
    assert (image.width, image.height) == (800, 600) == stored(image).size


def test_pictures_are_re_encoded_without_camera_data(county, site):
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "GPS-Track 30.5N"  # Software: any text the camera leaves
    original = picture(1000, 500, exif=exif.tobytes())
    assert b"CameraMaker" in original.read()
    original.seek(0)
    image = upload(county, original)
    with image.file.open("rb") as fh:
        data = fh.read()
    assert b"CameraMaker" not in data and b"GPS-Track" not in data
    assert not stored(image).getexif()
    assert image.file.name.endswith(".jpg") and "p.jpg" not in image.file.name


def test_extra_bytes_after_the_picture_are_dropped(county, site):
    polyglot = picture(100, 100)
    data = polyglot.read() + b"<script>alert(1)</script>"
    image = upload(county, SimpleUploadedFile("x.jpg", data, content_type="image/jpeg"))
    with image.file.open("rb") as fh:
        assert b"<script>" not in fh.read()


def test_a_transparent_png_stays_a_png(county, site):
    buf = io.BytesIO()
    PILImage.new("RGBA", (50, 40), (0, 0, 0, 0)).save(buf, format="PNG")
    image = upload(county, SimpleUploadedFile("logo.png", buf.getvalue()))
    assert image.file.name.endswith(".png") and stored(image).mode == "RGBA"


def test_gif_and_webp_are_accepted(county, site):
    assert upload(county, picture(30, 30, fmt="GIF", mode="P")).file.name.endswith(".jpg")
    assert upload(county, picture(30, 30, fmt="WEBP")).width == 30


def test_a_picture_needs_a_description(county, site):
    with pytest.raises(ValidationError):
        upload(county, picture(), alt="   ")
    assert not Image.objects.exists()


def test_a_member_cannot_upload_pictures(county, site, make_user):
    actor = actor_for(make_user(county, Role.MEMBER), county)
    with pytest.raises(PermissionDenied):
        services.image_upload(actor=actor, committee=county, upload=picture(), alt="图")


def test_cover_is_shown_on_the_home_page_and_the_article(county, site, client):
    article = publish(county, "县政协召开十四届五次会议", cover=picture(2000, 1000),
                      cover_alt="大会开幕现场")
    image = article.cover
    src = reverse("portal-image", args=[county.code, image.pk])
    home = client.get(reverse("portal-home", args=[county.code])).content.decode()
    page = client.get(reverse("portal-article", args=[county.code, article.pk])).content.decode()
    for body in (home, page):
        assert f'src="{src}" alt="大会开幕现场"' in body
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).size == (1600, 800)


def test_a_cover_without_description_is_refused(county, site):
    col = Column.objects.get(committee=county, slug="news")
    with pytest.raises(ValidationError):
        services.article_save(actor=Actor.for_system(county), committee=county, column=col,
                              title="无说明", body="x", cover=picture())
    assert not Article.objects.exists() and not Image.objects.exists()


def test_another_committees_picture_is_not_served_under_this_site(county, other_county, site,
                                                                   client):
    services.site_ensure(actor=Actor.for_system(other_county), committee=other_county)
    theirs = upload(other_county, picture())
    assert client.get(reverse("portal-image", args=[county.code, theirs.pk])).status_code == 404
    assert client.get(reverse("portal-image", args=[other_county.code,
                                                    theirs.pk])).status_code == 200


def test_pictures_in_the_text_need_a_description(county, site):
    col = Column.objects.get(committee=county, slug="news")
    image = upload(county, picture())
    with pytest.raises(ValidationError):
        services.article_save(actor=Actor.for_system(county), committee=county, column=col,
                              title="图文", body=f'<p>看图</p><img src="{image.public_url()}">')


def test_pictures_from_other_sites_are_removed_from_the_text(county, site):
    col = Column.objects.get(committee=county, slug="news")
    image = upload(county, picture())
    article = services.article_save(
        actor=Actor.for_system(county), committee=county, column=col, title="图文",
        body=(f'<p>看图</p><img src="https://tracker.example/p.gif" alt="外站">'
              f'<img src="{image.public_url()}" alt="本站图片">'))
    assert "tracker.example" not in article.body
    assert f'<img src="{image.public_url()}" alt="本站图片">' in article.body


def test_the_toolbar_markup_survives_the_sanitiser(county, site):
    col = Column.objects.get(committee=county, slug="news")
    image = upload(county, picture())
    body = ('<h2>小标题</h2><p><strong>加粗</strong></p><ul><li>一</li><li>二</li></ul>'
            '<p><a href="https://www.example.gov.cn/">链接</a></p>'
            f'<figure><img src="{image.public_url()}" alt="说明" width="800" '
            'height="600"></figure>')
    article = services.article_save(actor=Actor.for_system(county), committee=county,
                                    column=col, title="排版", body=body)
    for part in ("<h2>小标题</h2>", "<strong>加粗</strong>", "<ul><li>一</li><li>二</li></ul>",
                 'href="https://www.example.gov.cn/"', 'alt="说明"', "<figure>"):
        assert part in article.body


def test_upload_page_answers_the_editor_script_in_json(county, site, staff, client):
    client.force_login(staff)
    response = client.post(reverse("portal-image-upload"),
                           {"img-file": picture(2400, 1200), "img-alt": "视察现场"},
                           HTTP_ACCEPT="application/json")
    data = response.json()
    image = Image.objects.get()
    assert response.status_code == 200
    assert data == {"url": image.public_url(), "alt": "视察现场", "width": 1600, "height": 800}
    bad = client.post(reverse("portal-image-upload"),
                      {"img-file": SimpleUploadedFile("a.png", b"not a picture"),
                       "img-alt": "x"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["error"]


def test_upload_without_javascript_returns_to_the_editor(county, site, staff, client):
    client.force_login(staff)
    edit = reverse("portal-new")
    response = client.post(reverse("portal-image-upload"),
                           {"img-file": picture(), "img-alt": "视察现场", "next": edit})
    assert response.status_code == 302 and response["Location"] == edit
    page = client.get(edit).content.decode()
    assert 'alt="视察现场"' in page and Image.objects.get().public_url() in page
    outside = client.post(reverse("portal-image-upload"),
                          {"img-file": picture(), "img-alt": "x",
                           "next": "https://evil.example/"})
    assert outside["Location"] == edit


def test_members_cannot_use_the_upload_page(county, site, make_user, client):
    client.force_login(make_user(county, Role.MEMBER))
    response = client.post(reverse("portal-image-upload"), {"img-file": picture(),
                                                            "img-alt": "x"})
    assert response.status_code == 403 and not Image.objects.exists()


def test_editor_form_saves_a_cover_with_its_description(county, site, staff, client):
    client.force_login(staff)
    col = Column.objects.get(committee=county, slug="news")
    response = client.post(reverse("portal-new"), {
        "column": col.pk, "title": "视察农村饮水安全", "body": "<p>正文</p>",
        "audience": "public", "cover": picture(), "cover_alt": ""})
    assert response.status_code == 200 and not Article.objects.exists()
    response = client.post(reverse("portal-new"), {
        "column": col.pk, "title": "视察农村饮水安全", "body": "<p>正文</p>",
        "audience": "public", "cover": picture(), "cover_alt": "视察组在水厂"})
    assert response.status_code == 302
    assert Article.objects.get().cover.alt == "视察组在水厂"


def test_process_rejects_an_empty_file():
    with pytest.raises(ValidationError):
        images.process(SimpleUploadedFile("x.jpg", b""))


def test_members_only_attachment_is_not_public(county, site, client, make_user):
    pdf = SimpleUploadedFile("读本.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    article = publish(county, "内部读本", column="learning", audience="members",
                      attachment=pdf)
    link = reverse("portal-attachment", args=[county.code, article.pk])
    assert client.get(link).status_code == 404
    client.force_login(make_user(county, Role.MEMBER))
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(
        b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_a_phone_photo_is_turned_upright(county, site):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned 90°
    image = upload(county, picture(400, 200, exif=exif.tobytes()))
    assert (image.width, image.height) == (200, 400) == stored(image).size
