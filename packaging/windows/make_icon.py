"""Draw the kiosk's Windows icon (``packaging/windows/prakerja-kiosk.ico``) so it is reproducible.

Why generated: the project has no artwork; a plain navy square with "PK" in the theme's colours is
enough for the Start menu, the taskbar and the installer, and a script beats an opaque binary nobody
can change. Run: ``.venv/bin/python packaging/windows/make_icon.py`` (Pillow).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

NAVY = "#0B2E6B"
ORANGE = "#E65100"
OUT = Path(__file__).with_name("prakerja-kiosk.ico")


def draw(size: int = 256) -> Image.Image:
    """The icon at ``size`` pixels: rounded navy square, orange bar, white "PK"."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=NAVY)
    pen.rectangle((size // 8, size * 3 // 4, size * 7 // 8, size * 3 // 4 + size // 16), fill=ORANGE)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", size // 2)
    except OSError:
        font = ImageFont.load_default(size // 2)
    pen.text((size // 2, size * 3 // 8 + size // 20), "PK", fill="white", font=font, anchor="mm")
    return image


if __name__ == "__main__":
    draw().save(OUT, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(OUT)
