"""Draw the app icons (PWA manifest, home-screen shortcut) with Pillow; run by hand when the
emblem changes and commit the PNGs (nothing is drawn at run time):

    .venv/bin/python tools/make_icons.py

The emblem is the character 协 in white on the platform's red (#a61b1b). The WenQuanYi font
(Debian ``fonts-wqy-microhei``) draws the character; without it a plain white ring is drawn.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "xieshang" / "static" / "xieshang" / "icons"
RED = (166, 27, 27, 255)
WHITE = (255, 255, 255, 255)
FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
         "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]


def emblem(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), RED if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        radius = size // 6
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=RED)
    # A maskable icon keeps its content inside the middle 80 % (the "safe zone").
    glyph = int(size * (0.5 if maskable else 0.62))
    font_path = next((f for f in FONTS if Path(f).exists()), None)
    if font_path is None:
        pad = (size - glyph) // 2
        draw.ellipse((pad, pad, size - pad, size - pad), outline=WHITE, width=max(2, size // 16))
        return image
    font = ImageFont.truetype(font_path, glyph)
    draw.text((size / 2, size / 2), "协", font=font, fill=WHITE, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        emblem(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        emblem(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)
    emblem(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    emblem(32, maskable=False).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
