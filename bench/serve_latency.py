#!/usr/bin/env python3
"""Measures `tribune serve`: the time from writing a post to its new text being served.

    bench/serve_latency.py SITE_DIR [--edits 10] [--tribune target/release/tribune]

Starts the server on a free port, then edits one post EDITS times. Each edit appends a unique
sentence to the post; the clock starts just before the file is written and stops when a GET of the
post's page returns the sentence (polled every millisecond). Prints the first build's time and the
median, best and worst latency. The post file is restored at the end.
"""

import argparse
import pathlib
import re
import statistics
import subprocess
import sys
import time
import urllib.request


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=pathlib.Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--tribune", default="target/release/tribune")
    args = parser.parse_args()

    posts = sorted((args.site / "content" / "posts").rglob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")
    slug = re.search(r'^slug\s*=\s*"([^"]+)"', original, re.M)
    name = slug.group(1) if slug else post.stem

    started = time.monotonic()
    server = subprocess.Popen(
        [args.tribune, "--root", str(args.site), "--now", "2025-06-01", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = None
        for line in server.stdout:
            if line.startswith("Serving the site at "):
                url = line.split()[4]
                break
        if url is None:
            sys.exit("the server did not start")
        ready = time.monotonic() - started
        page = f"{url}posts/{name}/"
        if "<html" not in fetch(page):
            sys.exit(f"no page at {page}")
        latencies = []
        for i in range(args.edits):
            marker = f"Latency marker {i} {time.time_ns()}."
            start = time.monotonic()
            post.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
            while marker not in fetch(page):
                if time.monotonic() - start > 30:
                    sys.exit("the edit was not served within 30 s")
                time.sleep(0.001)
            latencies.append((time.monotonic() - start) * 1000)
            time.sleep(0.2)
        print(f"posts: {len(posts)}")
        print(f"first build and start: {ready:.2f} s")
        print(
            "edit to served, ms: median {:.0f}, best {:.0f}, worst {:.0f} ({} edits)".format(
                statistics.median(latencies), min(latencies), max(latencies), len(latencies)
            )
        )
    finally:
        post.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
