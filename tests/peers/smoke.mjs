// Checks both peers with the plain HTTP requests a client makes, and prints
// each exchange (method, path, status, body) so that the behaviour relied on
// is on record. Run it after changing package.json or either peer:
//   node tests/peers/smoke.mjs          (exit 0 when every check holds)
// It starts pds.mjs and mastodon.mjs itself and stops them at the end.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const verbose = !process.argv.includes('--quiet')

function log(line) {
  if (verbose) process.stdout.write(line + '\n')
}

function short(body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return text.length > 600 ? text.slice(0, 600) + '…' : text
}

// Starts a peer and resolves with its JSON line, the time it took and the process.
function start(script, env = {}) {
  const started = Date.now()
  const child = spawn(process.execPath, [path.join(here, script)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    lines.once('line', (line) => resolve({ info: JSON.parse(line), ms: Date.now() - started, child }))
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before its JSON line`)))
  })
}

function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
    return Math.round(kb / 1024)
  } catch {
    return null
  }
}

// Stops a peer the way the tests will: by closing its stdin; resolves with its exit code.
function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.stdin.end()
  })
}

async function call(base, method, p, { token, json, form, body, headers = {} } = {}) {
  const h = { ...headers }
  if (token) h.Authorization = `Bearer ${token}`
  let payload = body
  if (json !== undefined) {
    h['Content-Type'] = 'application/json'
    payload = JSON.stringify(json)
  } else if (form !== undefined) {
    payload = form
  }
  const res = await fetch(base + p, { method, headers: h, body: payload })
  const text = await res.text()
  let data = text
  try {
    data = JSON.parse(text)
  } catch {}
  log(`${method} ${p} -> ${res.status} ${short(data)}`)
  return { status: res.status, data, headers: res.headers }
}

// A TID (the record key app.bsky.feed.post requires): 13 characters of
// base32-sortable (234567abcdefghijklmnopqrstuvwxyz), the first 11 for the
// microseconds since 1970, the last 2 for a clock id below 1024.
const S32 = '234567abcdefghijklmnopqrstuvwxyz'
function tid(micros, clockId) {
  let n = (BigInt(micros) << 10n) | BigInt(clockId)
  let s = ''
  for (let i = 0; i < 13; i++) {
    s = S32[Number(n & 31n)] + s
    n >>= 5n
  }
  return s
}

// A 4x3 red PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000040000000308020000003b9639910000001049444154789c6338216703470c3839000fda0d99e47bc8770000000049454e44ae426082',
  'hex',
)

async function bluesky() {
  const { info, ms, child } = await start('pds.mjs')
  log(`pds.mjs: ready in ${ms} ms, ${rssMiB(child.pid)} MiB resident: ${JSON.stringify(info)}`)
  const base = `${info.service}/xrpc/`
  try {
    let r = await call(base, 'POST', 'com.atproto.server.createSession', {
      json: { identifier: info.handle, password: 'wrong' },
    })
    assert.equal(r.status, 401)
    assert.equal(r.data.error, 'AuthenticationRequired')

    r = await call(base, 'POST', 'com.atproto.server.createSession', {
      json: { identifier: info.handle, password: info.app_password },
    })
    assert.equal(r.status, 200)
    assert.equal(r.data.did, info.did)
    const token = r.data.accessJwt

    r = await call(base, 'GET', `com.atproto.identity.resolveHandle?handle=${info.other_handle}`)
    assert.equal(r.status, 200)
    assert.equal(r.data.did, info.other_did)
    r = await call(base, 'GET', 'com.atproto.identity.resolveHandle?handle=nobody.test')
    assert.equal(r.status, 400)
    assert.equal(r.data.error, 'InvalidRequest')

    r = await call(base, 'POST', 'com.atproto.repo.uploadBlob', {
      token,
      body: PNG,
      headers: { 'Content-Type': 'image/png' },
    })
    assert.equal(r.status, 200)
    const blob = r.data.blob
    assert.deepEqual(Object.keys(blob).sort(), ['$type', 'mimeType', 'ref', 'size'])
    assert.equal(blob.mimeType, 'image/png')

    const text = 'Nouvel article ✍️ : https://carnet.fr/posts/x #Écriture avec @ami.test'
    const bytes = Buffer.from(text)
    const span = (s) => {
      const start = bytes.indexOf(Buffer.from(s))
      return { byteStart: start, byteEnd: start + Buffer.byteLength(s) }
    }
    const rkey = tid(Date.parse('2026-01-15T08:00:00Z') * 1000, 42)
    assert.match(rkey, /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/)
    const record = {
      $type: 'app.bsky.feed.post',
      text,
      createdAt: '2026-01-15T08:00:00.000Z',
      langs: ['fr'],
      facets: [
        { index: span('https://carnet.fr/posts/x'), features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://carnet.fr/posts/x' }] },
        { index: span('#Écriture'), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Écriture' }] },
        { index: span('@ami.test'), features: [{ $type: 'app.bsky.richtext.facet#mention', did: info.other_did }] },
      ],
      embed: {
        $type: 'app.bsky.embed.external',
        external: { uri: 'https://carnet.fr/posts/x', title: 'Un titre', description: 'Le chapeau', thumb: blob },
      },
    }
    const create = { repo: info.did, collection: 'app.bsky.feed.post', rkey, record }

    r = await call(base, 'POST', 'com.atproto.repo.createRecord', { token, json: { ...create, rkey: 'not-a-tid' } })
    assert.equal(r.status, 400)
    assert.equal(r.data.error, 'InvalidRequest')

    r = await call(base, 'POST', 'com.atproto.repo.createRecord', { token, json: create })
    assert.equal(r.status, 200)
    assert.equal(r.data.uri, `at://${info.did}/app.bsky.feed.post/${rkey}`)
    assert.equal(r.data.validationStatus, 'valid')
    const cid = r.data.cid

    // The same rkey again: the PDS fails inside, with a 500.
    r = await call(base, 'POST', 'com.atproto.repo.createRecord', { token, json: create })
    assert.equal(r.status, 500)
    assert.equal(r.data.error, 'InternalServerError')

    // putRecord with swapRecord null: creates once, then answers the same
    // record with no commit (nothing written) while its content is the same…
    const rkey2 = tid(Date.parse('2026-01-16T08:00:00Z') * 1000, 42)
    const put = { ...create, rkey: rkey2, swapRecord: null }
    r = await call(base, 'POST', 'com.atproto.repo.putRecord', { token, json: put })
    assert.equal(r.status, 200)
    assert.ok(r.data.commit)
    r = await call(base, 'POST', 'com.atproto.repo.putRecord', { token, json: put })
    assert.equal(r.status, 200)
    assert.equal(r.data.commit, undefined)
    assert.equal(r.data.cid, cid)
    // …and refuses a different content under that key.
    const changed = { ...put, record: { ...record, text: 'Autre texte', facets: [] } }
    r = await call(base, 'POST', 'com.atproto.repo.putRecord', { token, json: changed })
    assert.equal(r.status, 400)
    assert.equal(r.data.error, 'InvalidSwap')

    r = await call(base, 'POST', 'com.atproto.repo.createRecord', {
      token,
      json: { repo: info.did, collection: 'app.bsky.feed.post', record: { ...record, text: 'a'.repeat(301), facets: [] } },
    })
    assert.equal(r.status, 400)
    assert.match(r.data.message, /grapheme too big \(maximum 300, got 301\)/)

    r = await call(base, 'GET', `com.atproto.repo.listRecords?repo=${info.did}&collection=app.bsky.feed.post`)
    assert.equal(r.status, 200)
    assert.deepEqual(
      r.data.records.map((x) => x.uri.split('/').pop()),
      [rkey2, rkey],
    )
    assert.deepEqual(r.data.records[1].value.facets, record.facets)

    r = await call(base, 'GET', `com.atproto.repo.getRecord?repo=${info.did}&collection=app.bsky.feed.post&rkey=${rkey}`)
    assert.equal(r.status, 200)
    assert.equal(r.data.cid, cid)
    r = await call(base, 'GET', `com.atproto.repo.getRecord?repo=${info.did}&collection=app.bsky.feed.post&rkey=${tid(1, 1)}`)
    assert.equal(r.status, 400)
    assert.equal(r.data.error, 'RecordNotFound')
  } finally {
    const code = await stop(child)
    assert.equal(code, 0, 'pds.mjs exits 0 when its stdin closes')
  }
}

async function mastodon() {
  const { info, ms, child } = await start('mastodon.mjs', {
    MASTODON_TOKEN: 'secret-token',
    MASTODON_RATE_LIMIT_AFTER: '4',
    MASTODON_RETRY_AFTER: '1',
  })
  log(`mastodon.mjs: ready in ${ms} ms, ${rssMiB(child.pid)} MiB resident: ${JSON.stringify(info)}`)
  const base = info.service
  const token = info.token
  try {
    let r = await call(base, 'GET', '/api/v1/accounts/verify_credentials')
    assert.equal(r.status, 401)
    assert.deepEqual(r.data, { error: 'The access token is invalid' })
    r = await call(base, 'GET', '/api/v1/accounts/verify_credentials', { token })
    assert.equal(r.status, 200)
    assert.equal(r.data.id, info.account_id)

    const form = new FormData()
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'vignette.png')
    form.append('description', 'Un carré rouge')
    r = await call(base, 'POST', '/api/v2/media', { token, body: form })
    assert.equal(r.status, 200)
    assert.equal(r.data.type, 'image')
    const mediaId = r.data.id

    const status = {
      status: 'Nouvel article : https://carnet.fr/posts/x #blog',
      language: 'fr',
      visibility: 'public',
      media_ids: [mediaId],
    }
    r = await call(base, 'POST', '/api/v1/statuses', { token, json: status, headers: { 'Idempotency-Key': 'item-1' } })
    assert.equal(r.status, 200)
    const first = r.data.id
    r = await call(base, 'POST', '/api/v1/statuses', { token, json: status, headers: { 'Idempotency-Key': 'item-1' } })
    assert.equal(r.status, 200)
    assert.equal(r.data.id, first)
    r = await call(base, 'POST', '/api/v1/statuses', {
      token,
      json: { status: 'autre' },
      headers: { 'Idempotency-Key': 'item-1' },
    })
    assert.equal(r.status, 422)

    r = await call(base, 'POST', '/api/v1/statuses', {
      token,
      json: { status: 'a'.repeat(477) + ' https://example.com/' + 'x'.repeat(100) },
    })
    assert.equal(r.status, 422)
    assert.equal(r.data.error, 'Validation failed: Text character limit of 500 exceeded')

    const soon = new Date(Date.now() + 60_000).toISOString()
    r = await call(base, 'POST', '/api/v1/statuses', { token, json: { status: 'x', scheduled_at: soon } })
    assert.equal(r.status, 422)

    const later = new Date(Date.now() + 3_600_000).toISOString()
    r = await call(base, 'POST', '/api/v1/statuses', {
      token,
      form: new URLSearchParams({ status: 'Plus tard', scheduled_at: later }),
    })
    assert.equal(r.status, 200)
    assert.ok(r.data.scheduled_at)
    const scheduledId = r.data.id

    r = await call(base, 'GET', '/api/v1/scheduled_statuses', { token })
    assert.deepEqual(
      r.data.map((s) => s.id),
      [scheduledId],
    )

    // Writes so far: media, status, scheduled status; one more, then 429.
    r = await call(base, 'DELETE', `/api/v1/scheduled_statuses/${scheduledId}`, { token })
    assert.equal(r.status, 200)
    r = await call(base, 'POST', '/api/v1/statuses', { token, json: { status: 'de trop' } })
    assert.equal(r.status, 429)
    assert.equal(r.headers.get('retry-after'), '1')
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    r = await call(base, 'POST', '/api/v1/statuses', { token, json: { status: 'après la pause' } })
    assert.equal(r.status, 200)

    r = await call(base, 'GET', `/api/v1/accounts/${info.account_id}/statuses?limit=1`, { token })
    assert.equal(r.status, 200)
    assert.equal(r.data.length, 1)
    assert.equal(r.data[0].content, '<p>après la pause</p>')
    assert.match(r.headers.get('link'), /rel="next"/)

    r = await call(base, 'GET', '/__test/statuses')
    assert.equal(r.data.statuses.length, 2)
    assert.equal(r.data.statuses[0].idempotency_key, 'item-1')
    assert.equal(r.data.media[0].attached_to, first)
  } finally {
    const code = await stop(child)
    assert.equal(code, 0, 'mastodon.mjs exits 0 when its stdin closes')
  }
}

await bluesky()
await mastodon()
console.log('smoke: 2 passed, 0 failed')
