// Writes tests/bluesky_facets.json, the table Tribune's own facet detection is
// checked against: for each text of tests/peers/facet_inputs.json, the facets
// that Bluesky's own library finds (RichText.detectFacetsWithoutResolution()
// from @atproto/api, the version pinned in package.json).
//
// Usage: node tests/peers/facets.mjs   (from anywhere; paths are from this file)
//
// Each entry: {"text": "...", "facets": [{"start": BYTE, "end": BYTE,
//   "kind": "link"|"tag"|"mention", "value": "..."}]}
// with UTF-8 byte offsets, end exclusive, in the library's order (by start).
// value: the link's URI (https:// added to a bare domain), the tag without
// its '#' (a cashtag keeps its '$' and is upper-cased, as the library stores
// it), or the mentioned handle without its '@' (not resolved to a DID).
//
// Some inputs come from the twitter-text conformance suite
// (Copyright Twitter, Inc., Apache-2.0, see twitter-text-LICENSE beside this file);
// their "from" field in facet_inputs.json names the case.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import api from '@atproto/api'

const { RichText } = api
const here = path.dirname(fileURLToPath(import.meta.url))
const inputPath = path.join(here, 'facet_inputs.json')
const outputPath = path.join(here, '..', 'bluesky_facets.json')

function kindAndValue(feature, text) {
  switch (feature.$type) {
    case 'app.bsky.richtext.facet#link':
      return { kind: 'link', value: feature.uri }
    case 'app.bsky.richtext.facet#tag':
      return { kind: 'tag', value: feature.tag }
    case 'app.bsky.richtext.facet#mention':
      // Without resolution the library leaves the handle where the DID goes.
      return { kind: 'mention', value: feature.did }
    default:
      throw new Error(`${inputPath}: unexpected facet feature ${feature.$type} in ${JSON.stringify(text)}`)
  }
}

const inputs = JSON.parse(fs.readFileSync(inputPath, 'utf8'))
const seen = new Set()
const table = inputs.map(({ text }, i) => {
  if (typeof text !== 'string') throw new Error(`${inputPath}: entry ${i} has no text`)
  if (seen.has(text)) throw new Error(`${inputPath}: entry ${i} repeats ${JSON.stringify(text)}`)
  seen.add(text)
  const rt = new RichText({ text })
  rt.detectFacetsWithoutResolution()
  const facets = []
  for (const facet of rt.facets ?? []) {
    for (const feature of facet.features) {
      facets.push({ start: facet.index.byteStart, end: facet.index.byteEnd, ...kindAndValue(feature, text) })
    }
  }
  return { text, facets }
})

// One entry per line keeps the table's diffs readable.
const body = '[\n' + table.map((e) => JSON.stringify(e)).join(',\n') + '\n]\n'
fs.writeFileSync(outputPath, body)
console.error(`facets.mjs: wrote ${table.length} texts to ${outputPath}`)
