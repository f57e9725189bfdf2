// Adds npm's legacy install fields (_resolved, _shasum, _integrity) to every
// installed package.json, from a gzipped tarball of the installed copy laid out as npm's (package/...),
// and writes that tarball to yarn's offline mirror (/tmp/jslock/mirror). Usage: node stamp.js node_modules
const fs = require('fs'), path = require('path'), cp = require('child_process'), crypto = require('crypto');
function walk(nm) {
  if (!fs.existsSync(nm)) return;
  for (const e of fs.readdirSync(nm)) {
    if (e.startsWith('.')) continue;
    const dirs = e.startsWith('@') ? fs.readdirSync(path.join(nm, e)).map(x => path.join(nm, e, x)) : [path.join(nm, e)];
    for (const d of dirs) {
      const pj = path.join(d, 'package.json');
      const m = JSON.parse(fs.readFileSync(pj));
      // The package directory as npm's tarball layout (package/...), without
      // its nested node_modules; npm pack would run prepare scripts.
      const buf = cp.execFileSync('tar', ['-C', d, '--exclude=./node_modules', '--sort=name', '--mtime=1985-10-26', '--owner=0', '--group=0', '--numeric-owner', '--transform', 's,^\\.,package,', '-cf', '-', '.'], {maxBuffer: 1 << 28});
      const gz = require('zlib').gzipSync(buf, {level: 9});
      const base = m.name.split('/').pop();
      m._resolved = `https://registry.npmjs.org/${m.name}/-/${base}-${m.version}.tgz`;
      m._shasum = crypto.createHash('sha1').update(gz).digest('hex');
      m._integrity = 'sha512-' + crypto.createHash('sha512').update(gz).digest('base64');
      fs.writeFileSync(pj, JSON.stringify(m, null, 2) + '\n');
      // yarn's offline mirror, named as yarn names it (@scope-name-1.0.0.tgz).
      const scope = m.name.startsWith('@') ? m.name.split('/')[0] + '-' : '';
      fs.writeFileSync(path.join('/tmp/jslock/mirror', `${scope}${base}-${m.version}.tgz`), gz);
      walk(path.join(d, 'node_modules'));
    }
  }
}
fs.mkdirSync('/tmp/jslock/mirror', {recursive: true});
walk(process.argv[2]);
