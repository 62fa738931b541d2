"""Writes a site of COUNT posts, each showing its own photo: a JPEG of WIDTH x HEIGHT pixels,
quality 90, textured and noisy as a camera's are, so that decoding, resizing and encoding cost
what a real photo's do.

    python3 bench/photos.py SITE [COUNT] [WIDTH] [HEIGHT]

Needs Pillow (bench/run.sh installs it in a virtual environment).
"""
import pathlib
import sys

from PIL import Image, ImageFilter

site = pathlib.Path(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
width = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
height = int(sys.argv[4]) if len(sys.argv) > 4 else 2000

photos, posts = site / "content" / "photos", site / "content" / "posts"
photos.mkdir(parents=True, exist_ok=True)
posts.mkdir(parents=True, exist_ok=True)
(site / "site.toml").write_text(
    'title = "Photos"\nbase_url = "https://photos.example.org"\nlanguage = "en"\n\n'
    "[images]\ncards = false\n"
)
for k in range(count):
    name = f"photo-{k}.jpg"
    if not (photos / name).exists():
        # Three channels unlike each other: a turned gradient, blurred noise (texture) and a
        # radial gradient, plus fine noise, as sensors add.
        red = Image.linear_gradient("L").rotate(k * 37 % 360).resize((width, height))
        texture = Image.effect_noise((width // 4, height // 4), 60 + k % 40)
        green = texture.filter(ImageFilter.GaussianBlur(2)).resize((width, height))
        blue = Image.radial_gradient("L").resize((width, height))
        grain = Image.effect_noise((width, height), 12)
        photo = Image.merge("RGB", (red, green, blue))
        photo = Image.blend(photo, Image.merge("RGB", (grain, grain, grain)), 0.15)
        photo.save(photos / name, quality=90)
    (posts / f"photo-{k}.md").write_text(
        f'+++\ntitle = "Photo {k}"\ndate = 2025-01-{k % 28 + 1:02d}\n'
        f'image = "/photos/{name}"\n+++\nA photo.\n\n![Photo {k}](/photos/{name})\n'
    )
