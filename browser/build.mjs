// Builds the extension for both browsers from one source: TypeScript compiled once (the UI's
// tsc), then dist/chromium and dist/firefox, each with its own manifest, and the packages
// dist/dossier-chromium.zip and dist/dossier-firefox.xpi (both plain zip files).
//
// manifest.json is the one source: its "chromium" and "firefox" keys hold what differs (the
// MV3 background is a service worker in Chromium, event-page scripts in Firefox; Firefox needs
// browser_specific_settings.gecko.id; `key` fixes the Chromium extension id), and are merged
// into the common part. No dependency beyond Node: the zip writer is below.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const tsc = join(here, '..', 'ui', 'node_modules', '.bin', 'tsc');

export function manifestFor(target) {
  const source = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8'));
  const { chromium, firefox, ...common } = source;
  return { ...common, ...(target === 'chromium' ? chromium : firefox) };
}

const table = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

/** A zip of `dir`'s files, paths relative to it, deflated, with a fixed date (reproducible). */
function zip(dir, out) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const path of files(dir)) {
    const name = Buffer.from(relative(dir, path).split('\\').join('/'));
    const data = readFileSync(path);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(0, 10); // 00:00
    head.writeUInt16LE((2026 - 1980) << 9 | 1 << 5 | 1, 12); // 2026-01-01
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    locals.push(head, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    head.copy(central, 8, 6, 30);
    central.writeUInt32LE(0, 34); // comment, disk, internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(out, Buffer.concat([...locals, cd, end]));
}

function build() {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(tsc, ['-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
  for (const target of ['chromium', 'firefox']) {
    const out = join(dist, target);
    mkdirSync(out, { recursive: true });
    cpSync(join(dist, 'js'), join(out, 'js'), { recursive: true });
    cpSync(join(here, 'static'), out, { recursive: true });
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifestFor(target), null, 2) + '\n');
  }
  zip(join(dist, 'chromium'), join(dist, 'dossier-chromium.zip'));
  zip(join(dist, 'firefox'), join(dist, 'dossier-firefox.xpi'));
  console.log(`built ${relative(process.cwd(), dist)}/{chromium,firefox,dossier-chromium.zip,dossier-firefox.xpi}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
