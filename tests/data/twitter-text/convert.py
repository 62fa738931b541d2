#!/usr/bin/env python3
"""Converts twitter-text's conformance suite into the JSON files the tests read.

Usage: python3 tests/data/twitter-text/convert.py DIR
where DIR holds the suite's validate.yml, extract.yml and tlds.yml (it needs PyYAML).

Writes, beside this script, the cases Tribune's counters must pass:
- weighted.json: every weighted-length case of validate.yml, as {section, description, text,
  weightedLength}; sections WeightedTweetsCounterTest (emoji parsing off),
  WeightedTweetsWithDiscountedEmojiCounterTest and UnicodeDirectionalMarkerCounterTest;
- urls.json: every URL-extraction case of extract.yml (urls, urls_with_indices,
  urls_with_directional_markers, tco_urls_with_params) and of tlds.yml, as
  {section, description, text, urls, indices} (indices in code points, or null);
and, in src/social/tlds/, generic.txt and country.txt: the top-level domains of tlds.yml, one a
line, in the suite's order.
"""
import json
import os
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
source = sys.argv[1]


def load(name):
    with open(os.path.join(source, name), encoding="utf-8") as f:
        return yaml.safe_load(f)["tests"]


validate, extract, tlds = load("validate.yml"), load("extract.yml"), load("tlds.yml")

weighted = []
for section in ["WeightedTweetsCounterTest", "WeightedTweetsWithDiscountedEmojiCounterTest",
                "UnicodeDirectionalMarkerCounterTest"]:
    for case in validate[section]:
        weighted.append({"section": section, "description": case["description"],
                         "text": case["text"], "weightedLength": case["expected"]["weightedLength"]})

urls = []
for section in ["urls", "tco_urls_with_params"]:
    for case in extract[section]:
        urls.append({"section": section, "description": case["description"], "text": case["text"],
                     "urls": case["expected"] or [], "indices": None})
for section in ["urls_with_indices", "urls_with_directional_markers"]:
    for case in extract[section]:
        urls.append({"section": section, "description": case["description"], "text": case["text"],
                     "urls": [e["url"] for e in case["expected"]],
                     "indices": [e["indices"] for e in case["expected"]]})
for section, cases in tlds.items():
    for case in cases:
        urls.append({"section": "tlds." + section, "description": case["description"],
                     "text": case["text"], "urls": case["expected"], "indices": None})
    names = [case["text"].split("twitter.", 1)[1] for case in cases]
    out = os.path.join(here, "..", "..", "..", "src", "social", "tlds", section + ".txt")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(name + "\n" for name in names))

for name, cases in [("weighted.json", weighted), ("urls.json", urls)]:
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
