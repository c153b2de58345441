// Runs `npm ci` unless node_modules was already installed from this exact package-lock.json.
// A clean `npm ci` takes 15-20 s; an ordinary rebuild should not pay that for identical packages.
// The stamp is a copy of the lock file taken after a successful install, so any change to the
// lock (a new library, an upgrade) or a deleted node_modules triggers a fresh install.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const STATIC_DIR = fileURLToPath(new URL('../../..', import.meta.url));
const lockFile = `${STATIC_DIR}package-lock.json`;
const stampFile = `${STATIC_DIR}node_modules/.vitrine-installed-lock.json`;

const readOrNull = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

if (readOrNull(stampFile) !== readOrNull(lockFile)) {
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: STATIC_DIR, stdio: 'inherit' });
  if (npm.error) throw new Error(`could not run npm (is Node.js with npm on the PATH?): ${npm.error.message}`);
  if (npm.status !== 0) process.exit(npm.status ?? 1);
  copyFileSync(lockFile, stampFile);
}
