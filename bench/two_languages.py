#!/usr/bin/env python3
"""Makes a two-language site from a one-language one, for bench/run.sh.

    bench/two_languages.py SITE DEST [--lang en] [--title "The Notebook"]

DEST gets SITE's content and its site.toml with a `[languages.LANG]` table, and every post
under content/posts/ a translation beside it (`x.LANG.md`, or `index.LANG.md` in a bundle):
a copy of the post, front matter and body. A translation takes its language and its address
from its file name, so the copy leaves out what would make it claim the original's: `lang`,
`slug`, `aliases` and `translation_key`. Standard library only.
"""

import argparse
import pathlib
import re
import shutil
import sys

# Front matter keys a copy must not repeat: they would give the translation the original's
# language, address or old addresses, which the build reports as clashes.
DROPPED = {"lang", "slug", "aliases", "translation_key", "translationKey"}


def translated(text, path):
    """The post's text without the DROPPED keys of its front matter (TOML `+++` or YAML `---`)."""
    lines = text.split("\n")
    fence = lines[0].strip()
    if fence not in ("+++", "---"):
        return text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == fence)
    except StopIteration:
        sys.exit(f"{path}: front matter is not closed by {fence}")
    key = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*" + ("=" if fence == "+++" else ":"))
    kept, depth, yaml_list, in_table = [], 0, False, False
    for line in lines[1:end]:
        if yaml_list:
            # The items of a dropped YAML list, indented or starting with "-".
            if line.startswith((" ", "\t", "-")):
                continue
            yaml_list = False
        if depth > 0:
            # Inside a dropped TOML array spread over several lines: skip until it closes.
            depth += line.count("[") - line.count("]")
            continue
        if fence == "+++" and re.match(r"^\s*\[\[?\s*[\w\"'.-]+\s*\]\]?\s*(#.*)?$", line):
            # A key inside a TOML table (`[extra] slug = …`) is not the post's own.
            in_table = True
        m = key.match(line)
        if m and not in_table and m.group(1) in DROPPED:
            if fence == "+++":
                depth = max(0, line.count("[") - line.count("]"))
            else:
                yaml_list = line.rstrip().endswith(":")
            continue
        kept.append(line)
    return "\n".join([lines[0], *kept, *lines[end:]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=pathlib.Path)
    parser.add_argument("dest", type=pathlib.Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--title", default="The Notebook")
    args = parser.parse_args()

    config = (args.site / "site.toml").read_text()
    if re.search(rf"^\[languages\.{re.escape(args.lang)}\]", config, re.M):
        sys.exit(f"{args.site / 'site.toml'} already has [languages.{args.lang}]")
    if args.dest.exists():
        shutil.rmtree(args.dest)
    args.dest.mkdir(parents=True)
    # `content` may be a link to another site's: the copy gets files of its own.
    shutil.copytree((args.site / "content").resolve(), args.dest / "content")
    (args.dest / "site.toml").write_text(
        config.rstrip("\n") + f'\n\n[languages.{args.lang}]\ntitle = "{args.title}"\n'
    )

    suffix = f".{args.lang}.md"
    count = 0
    for post in sorted((args.dest / "content" / "posts").rglob("*.md")):
        if post.name.endswith(suffix):
            continue  # already a translation
        target = post.with_name(post.name[: -len(".md")] + suffix)
        if target.exists():
            continue
        target.write_text(translated(post.read_text(), post))
        count += 1
    print(f"{args.dest}: {count} posts translated into {args.lang}", file=sys.stderr)


if __name__ == "__main__":
    main()
