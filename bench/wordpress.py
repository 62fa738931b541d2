#!/usr/bin/env python3
"""Makes a WordPress export (WXR 1.2) of a generated site, for bench/run.sh.

    bench/wordpress.py SITE EXPORT.xml

Every post under SITE's content/posts becomes an item as WordPress's Tools > Export writes it:
title, dates (local and GMT), slug, author, categories (the post's themes) and tags, excerpt
(its description), and its body as the classic editor stores it: paragraphs separated by blank
lines (WordPress adds their <p> when it shows them), headings, lists and emphasis in HTML,
shortcodes as they are. One post in five gets two reader comments, with the commenters'
e-mail addresses an export carries. Standard library only.
"""

import argparse
import datetime
import html
import pathlib
import re
import sys

AUTHORS = [("claire", "Claire Morel"), ("thomas", "Thomas Bernard"), ("redaction", "La rédaction")]


def front_matter(text):
    """The TOML front matter of a generated post as a dict of its simple keys, and its body."""
    _, head, body = text.split("+++", 2)
    meta = {}
    for line in head.strip().splitlines():
        key, _, value = line.partition(" = ")
        value = value.strip()
        if value.startswith("["):
            meta[key] = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
        else:
            meta[key] = value.strip('"')
    return meta, body.strip()


def inline(text):
    """Markdown emphasis and links as the HTML a classic-editor post holds."""
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)


def classic_html(body):
    """A generated Markdown body as the classic editor's text."""
    blocks = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.splitlines()
        if not lines:
            continue
        if lines[0].startswith("```"):
            code = "\n".join(lines[1:-1])
            blocks.append("<pre><code>" + html.escape(code, quote=False) + "</code></pre>")
        elif re.match(r"#{2,6} ", lines[0]):
            level = len(lines[0]) - len(lines[0].lstrip("#"))
            blocks.append(f"<h{level}>{inline(lines[0][level + 1:])}</h{level}>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"\n<li>{inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}\n</ul>")
        elif all(re.match(r"\d+\. ", line) for line in lines):
            items = "".join(f"\n<li>{inline(line.split('. ', 1)[1])}</li>" for line in lines)
            blocks.append(f"<ol>{items}\n</ol>")
        elif all(line.startswith(">") for line in lines):
            quote = " ".join(line.lstrip("> ") for line in lines)
            blocks.append(f"<blockquote>{inline(quote)}</blockquote>")
        else:
            blocks.append(inline("\n".join(lines)))
    return "\n\n".join(blocks)


def cdata(text):
    """`text` in a CDATA section, split where it holds the section's end."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def item(number, path, meta, body):
    """The <item> of one post."""
    date = datetime.datetime.fromisoformat(meta["date"])
    gmt = date.astimezone(datetime.timezone.utc)
    login, _ = AUTHORS[number % len(AUTHORS)]
    slug = path.stem if path.name != "index.md" else path.parent.name
    terms = [f'<category domain="category" nicename="{html.escape(slug_of(t))}">{cdata(t)}</category>'
             for t in meta.get("themes", [])]
    terms += [f'<category domain="post_tag" nicename="{html.escape(slug_of(t))}">{cdata(t)}</category>'
              for t in meta.get("tags", [])]
    comments = ""
    if number % 5 == 0:
        for k in range(2):
            when = (date + datetime.timedelta(days=k + 1)).strftime("%Y-%m-%d %H:%M:%S")
            comments += f"""
		<wp:comment>
			<wp:comment_id>{number * 10 + k}</wp:comment_id>
			<wp:comment_author>{cdata(f"Lecteur {number}-{k}")}</wp:comment_author>
			<wp:comment_author_email>{cdata(f"lecteur{number}-{k}@example.net")}</wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP>{cdata("192.0.2.1")}</wp:comment_author_IP>
			<wp:comment_date>{cdata(when)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(when)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata("Merci pour ce billet, très juste.")}</wp:comment_content>
			<wp:comment_approved>{cdata("1")}</wp:comment_approved>
			<wp:comment_type>{cdata("comment")}</wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""
    status = "draft" if meta.get("draft") == "true" else "publish"
    return f"""
	<item>
		<title>{cdata(meta["title"])}</title>
		<link>https://blog.example.org/?p={number}</link>
		<pubDate>{gmt.strftime("%a, %d %b %Y %H:%M:%S +0000")}</pubDate>
		<dc:creator>{cdata(login)}</dc:creator>
		<guid isPermaLink="false">https://blog.example.org/?p={number}</guid>
		<description></description>
		<content:encoded>{cdata(classic_html(body))}</content:encoded>
		<excerpt:encoded>{cdata(meta.get("description", ""))}</excerpt:encoded>
		<wp:post_id>{number}</wp:post_id>
		<wp:post_date>{cdata(date.strftime("%Y-%m-%d %H:%M:%S"))}</wp:post_date>
		<wp:post_date_gmt>{cdata(gmt.strftime("%Y-%m-%d %H:%M:%S"))}</wp:post_date_gmt>
		<wp:comment_status>{cdata("open")}</wp:comment_status>
		<wp:ping_status>{cdata("open")}</wp:ping_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata("post")}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		{"".join(terms)}{comments}
	</item>"""


def slug_of(term):
    """WordPress's nicename of a term, near enough: lower case, dashes for the rest."""
    return re.sub(r"[^\w]+", "-", term.lower()).strip("-")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=pathlib.Path)
    ap.add_argument("export", type=pathlib.Path)
    args = ap.parse_args()
    posts = sorted((args.site / "content" / "posts").rglob("*.md"))
    if not posts:
        sys.exit(f"{args.site}: no posts under content/posts")
    authors = "".join(
        f"""
	<wp:author><wp:author_id>{k + 1}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login><wp:author_email>{cdata(login + "@blog.example.org")}</wp:author_email><wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"""
        for k, (login, name) in enumerate(AUTHORS)
    )
    with args.export.open("w", encoding="utf-8") as out:
        out.write(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Le Carnet</title>
	<link>https://blog.example.org</link>
	<description>Essais, chroniques et notes</description>
	<language>fr-FR</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://blog.example.org</wp:base_site_url>
	<wp:base_blog_url>https://blog.example.org</wp:base_blog_url>{authors}
""")
        for number, path in enumerate(posts, start=1):
            meta, body = front_matter(path.read_text(encoding="utf-8"))
            out.write(item(number, path, meta, body))
        out.write("\n</channel>\n</rss>\n")
    print(f"{len(posts)} posts -> {args.export}")


if __name__ == "__main__":
    main()
