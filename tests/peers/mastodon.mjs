// A local stand-in for a Mastodon server, for the tests of `tribune publish`.
// No Mastodon can run here, so this small server (node's own http, no
// dependency) follows the documented REST API, from the documentation
// repository (mastodon/documentation):
//   content/en/methods/statuses.md            POST /api/v1/statuses
//   content/en/methods/media.md               POST /api/v2/media, GET /api/v1/media/:id
//   content/en/methods/accounts.md            GET /api/v1/accounts/verify_credentials,
//                                             GET /api/v1/accounts/:id/statuses
//   content/en/methods/scheduled_statuses.md  GET/PUT/DELETE /api/v1/scheduled_statuses[/:id]
//   content/en/api/guidelines.md              pagination (max_id, since_id, min_id, Link),
//                                             URLs counting as 23 characters
//   content/en/api/rate-limits.md             X-RateLimit-* headers
//   content/en/user/posting.md                500 characters, links need http(s)://, only the
//                                             user part of @user@domain counts
//   content/en/entities/{Status,MediaAttachment,ScheduledStatus,Account}.md
//
// Where it is stricter than Mastodon, on purpose, so that a client's mistake shows:
// - scheduled_at less than 5 minutes ahead is refused with 422 (the documented rule);
//   Mastodon itself publishes such a status at once.
// - Idempotency-Key reused with a different body is refused with 422; Mastodon
//   returns the status first created with that key, whatever the new body says.
// - language must look like an ISO 639 code (two or three lowercase letters);
//   Mastodon silently falls back to the account's default.
// - media_ids that are unknown or already attached are refused with 422, as
//   recent Mastodon does; a media given twice in one status is refused too.
// - a form or JSON parameter of the wrong type (an array for status, …) is refused.
// Where the documentation quotes no error text, the texts are Mastodon's own
// validation messages as far as known ("Validation failed: …").
//
// Usage: node tests/peers/mastodon.mjs [--token=TOKEN]
//   (or env MASTODON_TOKEN; a random token otherwise)
// Prints one line of JSON on stdout once listening:
//   {"service":"http://127.0.0.1:PORT","token":"…","account_id":"…","username":"carnet"}
// and serves until its stdin closes or it gets SIGTERM/SIGINT (then exits 0).
//
// Environment, to make it misbehave like a busy or broken server:
//   MASTODON_RATE_LIMIT_AFTER=N  after N accepted writes (POST/PUT/DELETE), writes get
//                                429 {"error":"Too many requests"} with Retry-After and
//                                X-RateLimit-Limit/Remaining/Reset, until Retry-After
//                                seconds have passed; then N more writes are accepted.
//   MASTODON_RETRY_AFTER=S       the Retry-After of those 429s, in seconds (default 2).
//   MASTODON_FAIL_AFTER=N        after N accepted writes, every write gets a 503 with
//                                an HTML body, as from a proxy in front of a dead server.
//
// Test-only, unauthenticated: GET /__test/statuses lists everything received
// (statuses, scheduled statuses, media, each with its idempotency key and raw
// parameters); POST /__test/publish_scheduled publishes every scheduled status now.

import crypto from 'node:crypto'
import http from 'node:http'

const MAX_CHARS = 500
const URL_CHARS = 23
const MIN_SCHEDULE_OFFSET_MS = 5 * 60 * 1000
const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000
const VISIBILITIES = ['public', 'unlisted', 'private', 'direct']
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
const MAX_MEDIA = 4
const MAX_DESCRIPTION = 1500

const writeStdout = process.stdout.write.bind(process.stdout)
console.log = console.error

const argToken = process.argv.find((a) => a.startsWith('--token='))
const TOKEN =
  argToken?.slice('--token='.length) ||
  process.env.MASTODON_TOKEN ||
  crypto.randomBytes(24).toString('base64url')

function envInt(name) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return null
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`mastodon.mjs: ${name} must be a whole number, got ${JSON.stringify(raw)}`)
    process.exit(1)
  }
  return n
}
const RATE_LIMIT_AFTER = envInt('MASTODON_RATE_LIMIT_AFTER')
const RETRY_AFTER = envInt('MASTODON_RETRY_AFTER') ?? 2
const FAIL_AFTER = envInt('MASTODON_FAIL_AFTER')

// Snowflake-like ids: numeric strings that grow with time, as Mastodon's do.
let lastId = BigInt(Date.now()) << 16n
function nextId() {
  const candidate = BigInt(Date.now()) << 16n
  lastId = candidate > lastId ? candidate : lastId + 1n
  return lastId.toString()
}

const ACCOUNT_ID = nextId()
const USERNAME = 'carnet'
let service = ''

const statuses = [] // { entity, idempotency_key, params, received_at }
const scheduled = [] // { entity, idempotency_key, params, received_at }
const media = new Map() // id -> { entity, bytes, content_type, attached_to }
const idempotency = new Map() // key -> { fingerprint, kind, id, at }
let acceptedWrites = 0
let windowWrites = 0
let limitedUntil = 0

function account() {
  return {
    id: ACCOUNT_ID,
    username: USERNAME,
    acct: USERNAME,
    display_name: 'Carnet',
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: `${service}/@${USERNAME}`,
    avatar: `${service}/avatars/original/missing.png`,
    avatar_static: `${service}/avatars/original/missing.png`,
    header: `${service}/headers/original/missing.png`,
    header_static: `${service}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: statuses.length,
    last_status_at: statuses.length ? statuses[statuses.length - 1].entity.created_at.slice(0, 10) : null,
    emojis: [],
    fields: [],
  }
}

function credentialAccount() {
  return {
    ...account(),
    source: { privacy: 'public', sensitive: false, language: 'fr', note: '', fields: [], follow_requests_count: 0 },
    role: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
  }
}

// --- text rules ---------------------------------------------------------------

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
function graphemes(s) {
  let n = 0
  for (const _ of segmenter.segment(s)) n++
  return n
}

// Links count only with an http(s) scheme; trailing punctuation is not part of
// the link, as in the twitter-text rules Mastodon's counter uses.
const URL_RE = /https?:\/\/[^\s<>"]+/giu
const MENTION_RE = /(^|[^\p{L}\p{N}_\/])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[a-z0-9.-]+[a-z0-9]/giu

function count(s, c) {
  return s.split(c).length - 1
}

function trimUrl(url) {
  let u = url
  for (;;) {
    const last = u.slice(-1)
    if (/[.,;:!?'"…»\]]/u.test(last)) {
      u = u.slice(0, -1)
    } else if (last === ')' && count(u, '(') < count(u, ')')) {
      // a closing parenthesis stays when it balances one inside the URL
      u = u.slice(0, -1)
    } else {
      return u
    }
  }
}

// The length Mastodon counts: graphemes, each link as 23, @user@domain as @user.
function countableLength(text, spoiler = '') {
  const withUrls = text.replace(URL_RE, (m) => {
    const url = trimUrl(m)
    return 'x'.repeat(URL_CHARS) + m.slice(url.length)
  })
  const withMentions = withUrls.replace(MENTION_RE, (_m, lead, user) => `${lead}@${user}`)
  return graphemes(spoiler + withMentions)
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
}

// Plain text to the HTML Mastodon gives in `content`: paragraphs, <br />, links.
function toHtml(text) {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.length > 0)
  return paragraphs
    .map((p) => {
      let out = ''
      let last = 0
      for (const m of p.matchAll(URL_RE)) {
        const url = trimUrl(m[0])
        out += escapeHtml(p.slice(last, m.index))
        const bare = url.replace(/^https?:\/\//, '')
        out +=
          `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
          `<span class="invisible">${escapeHtml(url.slice(0, url.length - bare.length))}</span>` +
          `<span class="">${escapeHtml(bare)}</span><span class="invisible"></span></a>`
        last = m.index + url.length
      }
      out += escapeHtml(p.slice(last))
      return `<p>${out.replace(/\n/g, '<br />')}</p>`
    })
    .join('')
}

// --- HTTP plumbing --------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message, headers = {}) {
    super(message)
    this.status = status
    this.headers = headers
  }
}

function rateHeaders() {
  const reset = new Date(Date.now() + 5 * 60 * 1000)
  reset.setUTCSeconds(0, 0)
  return {
    'X-RateLimit-Limit': '300',
    'X-RateLimit-Remaining': '299',
    'X-RateLimit-Reset': reset.toISOString(),
  }
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

async function readBody(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > 20 * 1024 * 1024) throw new ApiError(413, 'Request entity too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

// Form fields named `x[]` gather into arrays, as Rails reads them.
function addField(fields, name, value) {
  if (name.endsWith('[]')) {
    const key = name.slice(0, -2)
    if (!Array.isArray(fields[key])) fields[key] = []
    fields[key].push(value)
  } else {
    fields[name] = value
  }
}

function parseMultipart(buf, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  if (!m) throw new ApiError(400, 'multipart body without a boundary')
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`)
  const fields = {}
  const files = {}
  let pos = buf.indexOf(boundary)
  if (pos < 0) throw new ApiError(400, 'malformed multipart body')
  for (;;) {
    pos += boundary.length
    if (buf.slice(pos, pos + 2).toString() === '--') break
    pos += 2 // CRLF after the boundary
    const headerEnd = buf.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) throw new ApiError(400, 'malformed multipart body')
    const head = buf.slice(pos, headerEnd).toString('utf8')
    const next = buf.indexOf(boundary, headerEnd + 4)
    if (next < 0) throw new ApiError(400, 'malformed multipart body')
    const content = buf.slice(headerEnd + 4, next - 2) // CRLF before the boundary
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? ''
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1]
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1]
    const type = /content-type:\s*([^\r\n;]*)/i.exec(head)?.[1]?.trim()
    if (name !== undefined) {
      if (filename !== undefined) files[name] = { filename, type, bytes: content }
      else addField(fields, name, content.toString('utf8'))
    }
    pos = next
  }
  return { fields, files }
}

async function parseParams(req) {
  const buf = await readBody(req)
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  if (buf.length === 0) return { fields: {}, files: {} }
  if (type.startsWith('application/json')) {
    let fields
    try {
      fields = JSON.parse(buf.toString('utf8'))
    } catch {
      throw new ApiError(400, 'Error occurred while parsing request parameters.')
    }
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new ApiError(400, 'Error occurred while parsing request parameters.')
    }
    return { fields, files: {} }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields = {}
    for (const [k, v] of new URLSearchParams(buf.toString('utf8'))) addField(fields, k, v)
    return { fields, files: {} }
  }
  if (type.startsWith('multipart/form-data')) return parseMultipart(buf, req.headers['content-type'])
  throw new ApiError(415, `Unsupported Content-Type: ${req.headers['content-type'] ?? '(none)'}`)
}

function authorize(req) {
  const header = req.headers.authorization ?? ''
  const m = /^Bearer\s+(.+)$/i.exec(header)
  if (!m || m[1].trim() !== TOKEN) throw new ApiError(401, 'The access token is invalid')
}

// Writes are what rate limits and failures apply to.
function admitWrite() {
  if (FAIL_AFTER !== null && acceptedWrites >= FAIL_AFTER) {
    const err = new ApiError(503, 'Service Unavailable')
    err.html = true
    throw err
  }
  if (RATE_LIMIT_AFTER !== null) {
    const now = Date.now()
    if (limitedUntil && now >= limitedUntil) {
      limitedUntil = 0
      windowWrites = 0
    }
    if (windowWrites >= RATE_LIMIT_AFTER) {
      if (!limitedUntil) limitedUntil = now + RETRY_AFTER * 1000
      const seconds = Math.max(1, Math.ceil((limitedUntil - now) / 1000))
      throw new ApiError(429, 'Too many requests', {
        'Retry-After': String(seconds),
        'X-RateLimit-Limit': String(RATE_LIMIT_AFTER),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': new Date(limitedUntil).toISOString(),
      })
    }
  }
}

function countWrite() {
  acceptedWrites++
  windowWrites++
}

// --- parameters -----------------------------------------------------------------

function optString(fields, name) {
  const v = fields[name]
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') throw new ApiError(422, `Validation failed: ${name} must be a string`)
  return v
}

function optBool(fields, name) {
  const v = fields[name]
  if (v === undefined || v === null || v === '') return null
  if (v === true || v === 'true' || v === '1') return true
  if (v === false || v === 'false' || v === '0') return false
  throw new ApiError(422, `Validation failed: ${name} must be a boolean`)
}

function optIds(fields, name) {
  const v = fields[name]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw new ApiError(422, `Validation failed: ${name} must be an array`)
  return v.map((x) => {
    if (typeof x !== 'string' && typeof x !== 'number') {
      throw new ApiError(422, `Validation failed: ${name} must hold ids`)
    }
    return String(x)
  })
}

function parseScheduledAt(raw) {
  const t = Date.parse(raw)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(raw) || Number.isNaN(t)) {
    throw new ApiError(422, `Validation failed: Scheduled at is not a valid datetime (${raw})`)
  }
  if (t <= Date.now() + MIN_SCHEDULE_OFFSET_MS) {
    throw new ApiError(422, 'Validation failed: Scheduled at The scheduled date must be in the future')
  }
  return new Date(t)
}

// --- entities -------------------------------------------------------------------

function pngSize(bytes) {
  if (bytes.length >= 24 && bytes.slice(1, 4).toString('latin1') === 'PNG') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
  }
  return null
}

function mediaEntity(id, type, description, bytes) {
  const ext = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' }[type]
  const size = type === 'image/png' ? pngSize(bytes) : null
  const meta = size
    ? {
        original: { width: size.width, height: size.height, size: `${size.width}x${size.height}`, aspect: size.width / size.height },
        small: { width: size.width, height: size.height, size: `${size.width}x${size.height}`, aspect: size.width / size.height },
      }
    : {}
  return {
    id,
    type: 'image',
    url: `${service}/system/media_attachments/files/${id}/original.${ext}`,
    preview_url: `${service}/system/media_attachments/files/${id}/small.${ext}`,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta,
    description,
    blurhash: null,
  }
}

function statusEntity(id, p, createdAt) {
  return {
    id,
    created_at: createdAt.toISOString(),
    in_reply_to_id: p.in_reply_to_id,
    in_reply_to_account_id: null,
    sensitive: p.sensitive,
    spoiler_text: p.spoiler_text,
    visibility: p.visibility,
    language: p.language,
    uri: `${service}/users/${USERNAME}/statuses/${id}`,
    url: `${service}/@${USERNAME}/${id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    favourited: false,
    reblogged: false,
    muted: false,
    bookmarked: false,
    pinned: false,
    content: toHtml(p.text),
    filtered: [],
    reblog: null,
    application: { name: 'Tribune', website: null },
    account: account(),
    media_attachments: p.media_ids.map((m) => media.get(m).entity),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  }
}

function scheduledEntity(id, p, at) {
  return {
    id,
    scheduled_at: at.toISOString(),
    params: {
      text: p.text,
      poll: null,
      media_ids: p.media_ids.length ? p.media_ids : null,
      sensitive: p.sensitive,
      spoiler_text: p.spoiler_text || null,
      visibility: p.visibility,
      idempotency: null,
      scheduled_at: null,
      language: p.language,
      in_reply_to_id: p.in_reply_to_id,
      application_id: 1,
      with_rate_limit: false,
    },
    media_attachments: p.media_ids.map((m) => media.get(m).entity),
  }
}

// --- handlers -------------------------------------------------------------------

function statusParams(fields) {
  const text = optString(fields, 'status') ?? ''
  const spoiler = optString(fields, 'spoiler_text') ?? ''
  const visibility = optString(fields, 'visibility') || 'public'
  const language = optString(fields, 'language') || null
  const sensitive = optBool(fields, 'sensitive') ?? spoiler.length > 0
  const inReplyTo = optString(fields, 'in_reply_to_id')
  const mediaIds = optIds(fields, 'media_ids')
  const scheduledAt = optString(fields, 'scheduled_at')
  if (fields.poll !== undefined) throw new ApiError(422, 'Validation failed: polls are not supported by this stand-in')

  if (mediaIds.length > MAX_MEDIA) throw new ApiError(422, `Cannot attach more than ${MAX_MEDIA} files`)
  const missing = mediaIds.filter(
    (id, i) => !media.has(id) || media.get(id).attached_to !== null || mediaIds.indexOf(id) !== i,
  )
  if (missing.length) {
    throw new ApiError(422, `Media ${missing.join(', ')} not found or already attached to another post`)
  }
  if (text.trim() === '' && mediaIds.length === 0) throw new ApiError(422, "Validation failed: Text can't be blank")
  if (!VISIBILITIES.includes(visibility)) {
    throw new ApiError(422, `Validation failed: Visibility is not included in the list (${visibility})`)
  }
  if (language !== null && !/^[a-z]{2,3}$/.test(language)) {
    throw new ApiError(422, `Validation failed: Language is not a valid ISO 639 code (${language})`)
  }
  if (countableLength(text, spoiler) > MAX_CHARS) {
    throw new ApiError(422, `Validation failed: Text character limit of ${MAX_CHARS} exceeded`)
  }
  if (inReplyTo !== null && !statuses.some((s) => s.entity.id === inReplyTo)) {
    throw new ApiError(404, 'Record not found')
  }
  return {
    text,
    spoiler_text: spoiler,
    visibility,
    language,
    sensitive,
    in_reply_to_id: inReplyTo,
    media_ids: mediaIds,
    scheduled_at: scheduledAt === null || scheduledAt === '' ? null : parseScheduledAt(scheduledAt),
  }
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]))
  }
  return value
}

function postStatus(req, fields) {
  const key = req.headers['idempotency-key']
  const fingerprint = JSON.stringify(canonical(fields))
  if (key) {
    const seen = idempotency.get(key)
    if (seen && Date.now() - seen.at < IDEMPOTENCY_TTL_MS) {
      if (seen.fingerprint !== fingerprint) {
        throw new ApiError(422, 'Idempotency-Key already used with a different request')
      }
      const list = seen.kind === 'status' ? statuses : scheduled
      const found = list.find((s) => s.entity.id === seen.id)
      if (found) return found.entity
    }
  }
  admitWrite()
  const p = statusParams(fields)
  const id = nextId()
  const record = { idempotency_key: key ?? null, params: fields, received_at: new Date().toISOString() }
  let entity
  if (p.scheduled_at) {
    entity = scheduledEntity(id, p, p.scheduled_at)
    scheduled.push({ ...record, entity, parsed: p })
  } else {
    entity = statusEntity(id, p, new Date())
    statuses.push({ ...record, entity })
  }
  for (const m of p.media_ids) media.get(m).attached_to = id
  if (key) idempotency.set(key, { fingerprint, kind: p.scheduled_at ? 'scheduled' : 'status', id, at: Date.now() })
  countWrite()
  return entity
}

function postMedia(fields, files) {
  admitWrite()
  const file = files.file
  if (!file) throw new ApiError(422, 'Validation failed: File content type is invalid, File is invalid')
  const type = (file.type ?? '').toLowerCase()
  if (!IMAGE_TYPES.includes(type) || file.bytes.length === 0) {
    throw new ApiError(422, 'Validation failed: File content type is invalid, File is invalid')
  }
  const description = fields.description ?? null
  if (description !== null && typeof description !== 'string') {
    throw new ApiError(422, 'Validation failed: description must be a string')
  }
  if (description !== null && [...description].length > MAX_DESCRIPTION) {
    throw new ApiError(422, `Validation failed: Description is too long (maximum is ${MAX_DESCRIPTION} characters)`)
  }
  const id = nextId()
  const entity = mediaEntity(id, type, description, file.bytes)
  media.set(id, {
    entity,
    bytes: file.bytes,
    content_type: type,
    filename: file.filename,
    attached_to: null,
    received_at: new Date().toISOString(),
  })
  countWrite()
  return entity
}

// Newest first, with max_id / since_id / min_id and a Link header, as the guidelines describe.
function paginate(req, url, items, path) {
  const q = url.searchParams
  let limit = Number(q.get('limit') ?? 20)
  if (!Number.isInteger(limit) || limit <= 0) limit = 20
  limit = Math.min(limit, 40)
  const big = (s) => BigInt(s)
  let list = [...items].sort((a, b) => (big(b.id) > big(a.id) ? 1 : big(b.id) < big(a.id) ? -1 : 0))
  const num = (name) => {
    const v = q.get(name)
    if (v === null || v === '') return null
    if (!/^\d+$/.test(v)) throw new ApiError(422, `Validation failed: ${name} must be an id`)
    return big(v)
  }
  const maxId = num('max_id')
  const sinceId = num('since_id')
  const minId = num('min_id')
  if (maxId !== null) list = list.filter((s) => big(s.id) < maxId)
  if (sinceId !== null) list = list.filter((s) => big(s.id) > sinceId)
  if (minId !== null) {
    list = list.filter((s) => big(s.id) > minId)
    list = list.slice(Math.max(0, list.length - limit))
  } else {
    list = list.slice(0, limit)
  }
  const headers = {}
  if (list.length) {
    const base = `${service}${path}?limit=${limit}`
    headers.Link =
      `<${base}&max_id=${list[list.length - 1].id}>; rel="next", ` + `<${base}&min_id=${list[0].id}>; rel="prev"`
  }
  return { list, headers }
}

async function route(req, res) {
  const url = new URL(req.url, service)
  const path = url.pathname.replace(/\/+$/, '') || '/'
  const method = req.method

  if (path === '/__test/statuses' && method === 'GET') {
    return send(res, 200, {
      statuses: statuses.map(({ entity, idempotency_key, params, received_at }) => ({
        id: entity.id,
        idempotency_key,
        params,
        received_at,
        status: entity,
      })),
      scheduled_statuses: scheduled.map(({ entity, idempotency_key, params, received_at }) => ({
        id: entity.id,
        idempotency_key,
        params,
        received_at,
        scheduled_status: entity,
      })),
      media: [...media.values()].map((m) => ({
        id: m.entity.id,
        filename: m.filename,
        content_type: m.content_type,
        size: m.bytes.length,
        sha256: crypto.createHash('sha256').update(m.bytes).digest('hex'),
        description: m.entity.description,
        attached_to: m.attached_to,
        received_at: m.received_at,
      })),
      writes_accepted: acceptedWrites,
    })
  }
  if (path === '/__test/publish_scheduled' && method === 'POST') {
    const published = []
    for (const s of scheduled.splice(0)) {
      const id = nextId()
      const entity = statusEntity(id, s.parsed, new Date())
      for (const m of s.parsed.media_ids) media.get(m).attached_to = id
      statuses.push({ idempotency_key: s.idempotency_key, params: s.params, received_at: s.received_at, entity })
      published.push(entity)
    }
    return send(res, 200, published)
  }

  const mediaFile = /^\/system\/media_attachments\/files\/(\d+)\/(original|small)\.\w+$/.exec(path)
  if (mediaFile && method === 'GET') {
    const m = media.get(mediaFile[1])
    if (!m) throw new ApiError(404, 'Record not found')
    res.writeHead(200, { 'Content-Type': m.content_type, 'Content-Length': m.bytes.length })
    return res.end(m.bytes)
  }

  if (path === '/api/v1/accounts/verify_credentials' && method === 'GET') {
    authorize(req)
    return send(res, 200, credentialAccount(), rateHeaders())
  }

  const accountStatuses = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(path)
  if (accountStatuses && method === 'GET') {
    // Public endpoint, but a token that is given must be valid.
    const authed = req.headers.authorization !== undefined
    if (authed) authorize(req)
    if (accountStatuses[1] !== ACCOUNT_ID) throw new ApiError(404, 'Record not found')
    const visible = statuses
      .map((s) => s.entity)
      .filter((s) => authed || s.visibility === 'public' || s.visibility === 'unlisted')
    const { list, headers } = paginate(req, url, visible, path)
    return send(res, 200, list, { ...rateHeaders(), ...headers })
  }

  if (path === '/api/v1/statuses' && method === 'POST') {
    authorize(req)
    const { fields } = await parseParams(req)
    return send(res, 200, postStatus(req, fields), rateHeaders())
  }

  const oneStatus = /^\/api\/v1\/statuses\/(\d+)$/.exec(path)
  if (oneStatus && method === 'GET') {
    const found = statuses.find((s) => s.entity.id === oneStatus[1])
    if (!found) throw new ApiError(404, 'Record not found')
    return send(res, 200, found.entity, rateHeaders())
  }

  if (path === '/api/v2/media' && method === 'POST') {
    authorize(req)
    const { fields, files } = await parseParams(req)
    return send(res, 200, postMedia(fields, files), rateHeaders())
  }

  const oneMedia = /^\/api\/v1\/media\/(\d+)$/.exec(path)
  if (oneMedia && method === 'GET') {
    authorize(req)
    const m = media.get(oneMedia[1])
    if (!m) throw new ApiError(404, 'Record not found')
    return send(res, 200, m.entity, rateHeaders())
  }

  if (path === '/api/v1/scheduled_statuses' && method === 'GET') {
    authorize(req)
    const { list, headers } = paginate(
      req,
      url,
      scheduled.map((s) => s.entity),
      path,
    )
    return send(res, 200, list, { ...rateHeaders(), ...headers })
  }

  const oneScheduled = /^\/api\/v1\/scheduled_statuses\/([^/]+)$/.exec(path)
  if (oneScheduled) {
    authorize(req)
    const index = scheduled.findIndex((s) => s.entity.id === oneScheduled[1])
    if (method === 'GET') {
      if (index < 0) throw new ApiError(404, 'Record not found')
      return send(res, 200, scheduled[index].entity, rateHeaders())
    }
    if (method === 'PUT') {
      const { fields } = await parseParams(req)
      admitWrite()
      if (index < 0) throw new ApiError(404, 'Record not found')
      const raw = optString(fields, 'scheduled_at')
      if (raw !== null && raw !== '') {
        const at = parseScheduledAt(raw)
        scheduled[index].entity.scheduled_at = at.toISOString()
      }
      countWrite()
      return send(res, 200, scheduled[index].entity, rateHeaders())
    }
    if (method === 'DELETE') {
      admitWrite()
      if (index < 0) throw new ApiError(404, 'Record not found')
      const [removed] = scheduled.splice(index, 1)
      for (const m of removed.parsed.media_ids) media.get(m).attached_to = null
      countWrite()
      return send(res, 200, {}, rateHeaders())
    }
  }

  throw new ApiError(404, 'Record not found')
}

const server = http.createServer((req, res) => {
  route(req, res).catch((err) => {
    if (res.headersSent) return res.destroy()
    if (err instanceof ApiError) {
      if (err.html) {
        const body = '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n'
        res.writeHead(err.status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) })
        return res.end(body)
      }
      return send(res, err.status, { error: err.message }, err.headers)
    }
    console.error(`mastodon.mjs: ${req.method} ${req.url}: ${err?.stack ?? err}`)
    return send(res, 500, { error: 'We are sorry, but something went wrong on our end.' })
  })
})

function shutdown(code) {
  server.close(() => process.exit(code))
  server.closeAllConnections()
  setTimeout(() => process.exit(code), 2000).unref()
}

server.on('error', (err) => {
  console.error(`mastodon.mjs: ${err?.stack ?? err}`)
  process.exit(1)
})

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  service = `http://127.0.0.1:${port}`
  process.on('SIGTERM', () => shutdown(0))
  process.on('SIGINT', () => shutdown(0))
  process.stdin.on('end', () => shutdown(0))
  process.stdin.on('close', () => shutdown(0))
  process.stdin.on('error', () => shutdown(0))
  process.stdin.resume()
  writeStdout(JSON.stringify({ service, token: TOKEN, account_id: ACCOUNT_ID, username: USERNAME }) + '\n')
})
