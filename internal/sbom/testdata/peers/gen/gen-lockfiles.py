#!/usr/bin/env python3
"""Writes yarn Berry (lockfile 8) and pnpm (5.4, 6.0, 9.0) lockfiles for the
project yarn 1.22.19 locked in yarn-v1/, from the installed packages' package.json
(name, version, dependencies, peerDependencies, engines, bin, _integrity) and the
versions yarn resolved. Usage: gen-lockfiles.py PROJECT_DIR OUT_DIR"""
import hashlib, json, os, re, sys, base64

proj, out = sys.argv[1], sys.argv[2]
root = json.load(open(os.path.join(proj, 'package.json')))

# Installed packages by name (one version each in this project).
pkgs = {}
for dp, dns, fns in os.walk(os.path.join(proj, 'node_modules')):
    if 'package.json' in fns and os.path.basename(os.path.dirname(dp)) in ('node_modules',) or \
       ('package.json' in fns and os.path.basename(os.path.dirname(dp)).startswith('@')):
        m = json.load(open(os.path.join(dp, 'package.json')))
        if m.get('name') and '_integrity' in m:
            pkgs[m['name']] = m

def q(s):
    """A YAML scalar as pnpm's writer (js-yaml) writes it: plain unless it
    starts with an indicator, looks like a number or contains ': ' or ' #'."""
    if s[:1] in set('>*&!|\'"%@`{}[],?-:#') or re.match(r'^[-+]?(\d+(\.\d*)?|\.\d+)$', s) \
            or s in ('true', 'false', 'null', '~') or ': ' in s or ' #' in s:
        return "'" + s.replace("'", "''") + "'"
    return s

key = q

def engines(m):
    e = m.get('engines') or {}
    if not e: return None
    return '{' + ', '.join(f"{k}: {q(v)}" for k, v in sorted(e.items())) + '}'

def deps(m):
    return {n: pkgs[n]['version'] for n in sorted(m.get('dependencies') or {})}

peered = {n for n, m in pkgs.items() if m.get('peerDependencies')}
def dep_ref(n, v, style):
    """How a dependency's version is written, with the peer suffix when the
    package resolved peers (update-browserslist-db's browserslist)."""
    if n in peered:
        ps = sorted((p, pkgs[p]['version']) for p in pkgs[n]['peerDependencies'])
        if style == 5:
            return v + '_' + '+'.join(f"{p.replace('/', '+')}@{pv}" for p, pv in ps)
        return v + ''.join(f"({p}@{pv})" for p, pv in ps)
    return v

alias = {}
for n, spec in (root.get('dependencies') or {}).items():
    if spec.startswith('npm:'):
        real, rng = spec[4:].rsplit('@', 1)
        alias[n] = (real, rng)

dev_only = set()
def reach(names, acc):
    for n in names:
        n = alias.get(n, (n,))[0]
        if n in pkgs and n not in acc:
            acc.add(n); reach(pkgs[n].get('dependencies') or {}, acc)
prod = set(); reach(root.get('dependencies') or {}, prod)
devs = set(); reach(root.get('devDependencies') or {}, devs)
dev_only = devs - prod

def sha512hex(m):
    return base64.b64decode(m['_integrity'][len('sha512-'):]).hex()

def pnpm(ver):
    L = []
    w = L.append
    w(f"lockfileVersion: {'5.4' if ver == 5 else repr(str(ver) + '.0')}")
    w('')
    if ver >= 6:
        w('settings:'); w('  autoInstallPeers: true'); w('  excludeLinksFromLockfile: false'); w('')
    def importer(indent):
        for sect in ('dependencies', 'devDependencies'):
            d = root.get(sect) or {}
            if not d: continue
            w(' ' * indent + sect + ':')
            for n in sorted(d):
                spec = d[n]
                if spec.startswith('file:'):
                    v = 'file:' + os.path.normpath(spec[5:])
                elif n in alias:
                    real = alias[n][0]
                    v = {5: f"/{real}/{pkgs[real]['version']}", 6: f"/{real}@{pkgs[real]['version']}", 9: f"{real}@{pkgs[real]['version']}"}[ver]
                else:
                    v = dep_ref(n, pkgs[n]['version'], ver)
                if ver == 5:
                    w(' ' * (indent + 2) + f"{key(n)}: {q(v)}")
                else:
                    w(' ' * (indent + 2) + f"{key(n)}:")
                    w(' ' * (indent + 4) + f"specifier: {q(spec)}")
                    w(' ' * (indent + 4) + f"version: {q(v)}")
            w('')
    if ver == 5:
        w('specifiers:')
        allspecs = {**(root.get('dependencies') or {}), **(root.get('devDependencies') or {})}
        for n in sorted(allspecs):
            w(f"  {key(n)}: {q(allspecs[n])}")
        w('')
        importer(0)
    elif ver == 6:
        importer(0)
    else:
        w('importers:'); w(''); w('  .:'); importer(4)
    w('packages:'); w('')
    entries = []
    for n, m in pkgs.items():
        v = m['version']
        if ver == 5: k = f"/{n}/{dep_ref(n, v, 5)}"
        elif ver == 6: k = f"/{n}@{dep_ref(n, v, 6)}"
        else: k = f"{n}@{v}"
        entries.append((k, n, m))
    shared = [d for d in (root.get('dependencies') or {}).values() if d.startswith('file:')]
    for k, n, m in sorted(entries + [('SHARED', None, None)] if shared else entries, key=lambda e: e[0] if e[1] else ('orders-shared@file:shared' if ver == 9 else 'file:shared')):
        if n is None:
            if ver == 9:
                w('  orders-shared@file:shared:')
                w('    resolution: {directory: shared, type: directory}')
            else:
                w('  file:shared:')
                w('    resolution: {directory: shared, type: directory}')
                w('    name: orders-shared')
                if ver == 5: w('    version: 1.0.0')
                w('    dev: false')
            w(''); continue
        w(f"  {key(k)}:")
        w(f"    resolution: {{integrity: {m['_integrity']}}}")
        e = engines(m)
        if e: w(f"    engines: {e}")
        if m.get('bin'): w('    hasBin: true')
        if m.get('peerDependencies'):
            w('    peerDependencies:')
            for p, r in sorted(m['peerDependencies'].items()):
                w(f"      {key(p)}: {q(r)}")
        if ver < 9 and m.get('dependencies'):
            w('    dependencies:')
            for dn, dv in deps(m).items():
                w(f"      {key(dn)}: {q(dep_ref(dn, dv, ver))}")
        if ver < 9:
            w(f"    dev: {'true' if n in dev_only else 'false'}")
        w('')
    if ver == 9:
        w('snapshots:'); w('')
        snaps = []
        for n, m in pkgs.items():
            snaps.append((f"{n}@{dep_ref(n, m['version'], 9)}", n, m))
        snaps.append(('orders-shared@file:shared', None, None))
        for k, n, m in sorted(snaps):
            if n is None or not m.get('dependencies'):
                w(f"  {key(k)}: {{}}"); w(''); continue
            w(f"  {key(k)}:")
            w('    dependencies:')
            for dn, dv in deps(m).items():
                w(f"      {key(dn)}: {q(dep_ref(dn, dv, 9))}")
            w('')
    while L and L[-1] == '': L.pop()
    return '\n'.join(L) + '\n'

def berry():
    # Descriptors per resolved package, as the yarn v1 lockfile of the same
    # project has them, spelled with Berry's npm: protocol.
    v1 = open(os.path.join(proj, 'yarn.lock')).read()
    L = ['# This file is generated by running "yarn install" inside your project.',
         '# Manual changes might be lost - proceed with caution!', '',
         '__metadata:', '  version: 8', '  cacheKey: 10c0', '']
    blocks = []
    for head in re.findall(r'^(\S.*):$', v1, re.M):
        descs = [d.strip().strip('"') for d in head.split(',')]
        name, rng = descs[0].rsplit('@', 1) if not descs[0].startswith('@') else ('@' + descs[0][1:].rsplit('@', 1)[0], descs[0][1:].rsplit('@', 1)[1])
        if 'file:' in descs[0]:
            blocks.append(('orders-shared@file:./shared::locator=orders-web%40workspace%3A.', None)); continue
        if '@npm:' in descs[0]:
            real = descs[0].split('@npm:')[1].rsplit('@', 1)[0]
            bdescs = descs
        else:
            real = name
            bdescs = [d.rsplit('@', 1)[0] + '@npm:' + d.rsplit('@', 1)[1] for d in descs]
        blocks.append((', '.join(bdescs), pkgs[real]))
    blocks.append(('orders-web@workspace:.', 'ROOT'))
    for k, m in sorted(blocks, key=lambda b: b[0]):
        w = L.append
        w(f'"{k}":')
        if m is None:
            w('  version: 1.0.0'); w(f'  resolution: "{k}"'); w('  languageName: node'); w('  linkType: hard'); w(''); continue
        if m == 'ROOT':
            w('  version: 0.0.0-use.local'); w(f'  resolution: "{k}"'); w('  dependencies:')
            alld = {**(root.get('dependencies') or {}), **(root.get('devDependencies') or {})}
            for n in sorted(alld):
                s = alld[n]
                s = s if s.startswith(('npm:', 'file:')) else 'npm:' + s
                w(f'    {json.dumps(n) if n.startswith("@") else n}: "{s}"')
            w('  languageName: unknown'); w('  linkType: soft'); w(''); continue
        w(f"  version: {m['version']}")
        w(f"  resolution: \"{m['name']}@npm:{m['version']}\"")
        if m.get('dependencies'):
            w('  dependencies:')
            for dn, dr in sorted(m['dependencies'].items()):
                w(f'    {json.dumps(dn) if dn.startswith("@") else dn}: "npm:{dr}"')
        if m.get('peerDependencies'):
            w('  peerDependencies:')
            for dn, dr in sorted(m['peerDependencies'].items()):
                w(f'    {dn}: "{dr}"')
        if m.get('bin'):
            w('  bin:')
            b = m['bin'] if isinstance(m['bin'], dict) else {m['name'].split('/')[-1]: m['bin']}
            for bn, bp in sorted(b.items()):
                w(f'    {bn}: {bp.lstrip("./") if not bp.startswith("./") else bp[2:]}')
        w(f"  checksum: 10c0/{sha512hex(m)}")
        w('  languageName: node'); w('  linkType: hard'); w('')
    while L[-1] == '': L.pop()
    return '\n'.join(L) + '\n'

for d, text in (('yarn-berry', berry()), ('pnpm-v5', pnpm(5)), ('pnpm-v6', pnpm(6)), ('pnpm-v9', pnpm(9))):
    os.makedirs(os.path.join(out, d), exist_ok=True)
    name = 'yarn.lock' if d.startswith('yarn') else 'pnpm-lock.yaml'
    open(os.path.join(out, d, name), 'w').write(text)
    open(os.path.join(out, d, 'package.json'), 'w').write(open(os.path.join(proj, 'package.json')).read())
