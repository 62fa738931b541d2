// A Bluesky peer for the tests of `tribune publish`: the AT Protocol reference
// PDS (and a PLC directory) from @atproto/dev-env, on localhost at random free
// ports, with two accounts.
//
// Usage: node tests/peers/pds.mjs
// Prints exactly one line of JSON on stdout once the PDS answers:
//   {"service":"http://localhost:PORT","handle":"carnet.test","did":"did:plc:…",
//    "password":"…","app_password":"xxxx-xxxx-xxxx-xxxx",
//    "other_handle":"ami.test","other_did":"did:plc:…"}
// then serves until its stdin closes (so keep stdin piped and open: started
// with stdin on /dev/null it stops at once) or it gets SIGTERM/SIGINT; it
// then shuts the network down, removes its data folders and exits 0.
// Errors go to stderr, with exit code 1.
//
// What was posted can be read back without authentication with the PDS's own
// com.atproto.repo.listRecords (see tests/peers/README.md).

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

// stdout carries the one JSON line and nothing else: whatever a library
// prints goes to stderr instead.
const writeStdout = process.stdout.write.bind(process.stdout)
console.log = console.error
console.info = console.error
console.debug = console.error
const logEnabled = ['true', 't', '1'].includes(process.env.LOG_ENABLED ?? '')
if (logEnabled && !process.env.LOG_DESTINATION) {
  process.env.LOG_DESTINATION = '/dev/stderr'
}

const HANDLE = 'carnet.test'
const OTHER_HANDLE = 'ami.test'
const PASSWORD = 'carnet-password'
const OTHER_PASSWORD = 'ami-password'

function fail(err) {
  console.error(`pds.mjs: ${err?.stack ?? err}`)
  process.exit(1)
}

async function main() {
  // Imported after the logging set-up above, which the libraries read at load time.
  const { TestNetworkNoAppView } = await import('@atproto/dev-env')
  const { AtpAgent } = await import('@atproto/api')

  // Our own folders rather than dev-env's, so that they can be removed on exit.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tribune-pds-'))
  await fs.mkdir(path.join(root, 'data'))
  let network
  try {
    network = await TestNetworkNoAppView.create({
      pds: {
        dataDirectory: path.join(root, 'data'),
        blobstoreDiskLocation: path.join(root, 'blobs'),
      },
    })
  } catch (err) {
    await fs.rm(root, { recursive: true, force: true })
    throw err
  }

  let closing = null
  const shutdown = (code) => {
    if (!closing) {
      closing = (async () => {
        try {
          await network.close()
        } catch (err) {
          console.error(`pds.mjs: while shutting down: ${err?.stack ?? err}`)
          code = 1
        }
        await fs.rm(root, { recursive: true, force: true })
        process.exit(code)
      })()
    }
    return closing
  }
  process.on('SIGTERM', () => shutdown(0))
  process.on('SIGINT', () => shutdown(0))
  process.stdin.on('end', () => shutdown(0))
  process.stdin.on('close', () => shutdown(0))
  process.stdin.on('error', () => shutdown(0))
  process.stdin.resume()

  try {
    const service = network.pds.url
    const agent = new AtpAgent({ service })
    const main = await agent.createAccount({
      email: 'carnet@example.test',
      handle: HANDLE,
      password: PASSWORD,
    })
    // Users give an app password to tools like Tribune, so the tests log in with one.
    const appPassword = await agent.com.atproto.server.createAppPassword({
      name: 'tribune',
    })

    const other = await new AtpAgent({ service }).createAccount({
      email: 'ami@example.test',
      handle: OTHER_HANDLE,
      password: OTHER_PASSWORD,
    })

    writeStdout(
      JSON.stringify({
        service,
        handle: HANDLE,
        did: main.data.did,
        password: PASSWORD,
        app_password: appPassword.data.password,
        other_handle: OTHER_HANDLE,
        other_did: other.data.did,
      }) + '\n',
    )
  } catch (err) {
    console.error(`pds.mjs: ${err?.stack ?? err}`)
    await shutdown(1)
  }
}

main().catch(fail)
