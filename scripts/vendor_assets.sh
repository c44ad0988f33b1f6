#!/usr/bin/env bash
# Vendor the pinned front-end libraries into src/epmo/web/static/vendor/.
#
# Installs the exact versions pinned in frontend/package.json (via `npm ci`
# against frontend/package-lock.json, or `npm install` when no lock exists yet)
# and copies only the prebuilt, minified files that pages load, plus each
# library's licence, so the app needs no CDN and no network at run time.
#
# Usage: bash scripts/vendor_assets.sh
# Idempotent: unchanged files are left untouched; re-running is safe.
# Exits non-zero with a message naming the problem if anything is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
NM="$FRONTEND/node_modules"
VENDOR="$ROOT/src/epmo/web/static/vendor"
LICENSES="$VENDOR/licenses"

die() { echo "vendor_assets: ERROR: $*" >&2; exit 1; }
log() { echo "vendor_assets: $*"; }

command -v node >/dev/null 2>&1 || die "node is not installed (need node >= 18)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"
[[ -f "$FRONTEND/package.json" ]] || die "missing $FRONTEND/package.json"

# ---------------------------------------------------------------- install
cd "$FRONTEND"
if [[ -f package-lock.json ]]; then
  log "npm ci (frontend/package-lock.json)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
    || die "npm ci failed in frontend/ (is package-lock.json in sync with package.json?)"
else
  log "no package-lock.json yet: npm install (creates it; commit it)"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    || die "npm install failed in frontend/"
fi

# Every direct dependency must be installed at exactly the version pinned in package.json.
node -e '
  const fs = require("fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  let bad = 0;
  for (const [name, want] of Object.entries(pkg.dependencies || {})) {
    let got;
    try { got = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version; }
    catch (e) { got = "(not installed)"; }
    if (got !== want) { console.error(`vendor_assets: ERROR: ${name}: pinned ${want}, installed ${got}`); bad = 1; }
  }
  process.exit(bad);
' || die "installed versions do not match the pins in frontend/package.json"

# ---------------------------------------------------------------- copy
mkdir -p "$VENDOR" "$LICENSES"

# "source path under frontend/node_modules|destination path under static/vendor"
FILES=(
  "htmx.org/dist/htmx.min.js|htmx.min.js"
  "echarts/dist/echarts.min.js|echarts.min.js"
  "cytoscape/dist/cytoscape.min.js|cytoscape.min.js"
  "dagre/dist/dagre.min.js|dagre.min.js"
  "cytoscape-dagre/cytoscape-dagre.js|cytoscape-dagre.js"
  "frappe-gantt/dist/frappe-gantt.umd.js|frappe-gantt.umd.js"
  "frappe-gantt/dist/frappe-gantt.css|frappe-gantt.css"
  "@tabler/core/dist/css/tabler.min.css|tabler.min.css"
  "@tabler/core/dist/js/tabler.min.js|tabler.min.js"
  "swagger-ui-dist/swagger-ui-bundle.js|swagger-ui-bundle.js"
  "swagger-ui-dist/swagger-ui.css|swagger-ui.css"
  # licences of the libraries and of what their bundles embed
  "htmx.org/LICENSE|licenses/htmx.org.txt"
  "echarts/LICENSE|licenses/echarts.txt"
  "echarts/NOTICE|licenses/echarts-NOTICE.txt"
  "echarts/licenses/LICENSE-d3|licenses/echarts-d3.txt"
  "zrender/LICENSE|licenses/zrender.txt"
  "tslib/LICENSE.txt|licenses/tslib.txt"
  "cytoscape/LICENSE|licenses/cytoscape.txt"
  "dagre/LICENSE|licenses/dagre.txt"
  "graphlib/LICENSE|licenses/graphlib.txt"
  "lodash/LICENSE|licenses/lodash.txt"
  "cytoscape-dagre/LICENSE|licenses/cytoscape-dagre.txt"
  "frappe-gantt/license.txt|licenses/frappe-gantt.txt"
  "@popperjs/core/LICENSE.md|licenses/popperjs-core.txt"
  "swagger-ui-dist/LICENSE|licenses/swagger-ui-dist.txt"
  "swagger-ui-dist/NOTICE|licenses/swagger-ui-dist-NOTICE.txt"
  "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt|licenses/swagger-ui-bundle-embedded.txt"
)

changed=0
install_file() { # src dst
  local src="$1" dst="$2"
  [[ -f "$src" ]] || die "expected file not found: ${src#"$FRONTEND/"} (did the package layout change?)"
  [[ -s "$src" ]] || die "expected file is empty: ${src#"$FRONTEND/"}"
  if ! cmp -s "$src" "$dst" 2>/dev/null; then
    cp "$src" "$dst.tmp.$$" && chmod 0644 "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
    log "updated ${dst#"$ROOT/"}"
    changed=$((changed + 1))
  fi
}

for entry in "${FILES[@]}"; do
  install_file "$NM/${entry%%|*}" "$VENDOR/${entry#*|}"
done

# @tabler/core ships no LICENSE file in its npm package; its package.json declares
# "MIT" and its dist banner carries the copyright lines. Build the licence text
# from those two sources (fails if either is missing).
tabler_pkg="$NM/@tabler/core/package.json"
tabler_css="$NM/@tabler/core/dist/css/tabler.min.css"
tabler_license="$(node -p "require('$tabler_pkg').license")"
[[ "$tabler_license" == "MIT" ]] || die "@tabler/core licence is '$tabler_license', expected MIT: review licenses/tabler-core.txt"
tabler_copyright="$(head -c 2000 "$tabler_css" | grep -o 'Copyright [^*]*' | sed 's/[[:space:]]*$//')"
[[ -n "$tabler_copyright" ]] || die "no copyright banner found in @tabler/core/dist/css/tabler.min.css"
tmp_license="$(mktemp)"
trap 'rm -f "$tmp_license"' EXIT
{
  echo "@tabler/core $(node -p "require('$tabler_pkg').version") -- licence: MIT (package.json \"license\" field)."
  echo "The npm package ships no LICENSE file; this text was written by scripts/vendor_assets.sh"
  echo "from that field and the copyright lines of the dist/css/tabler.min.css banner."
  echo "tabler.min.js also embeds Bootstrap's JavaScript (MIT, The Bootstrap Authors) and"
  echo "Popper (MIT, see popperjs-core.txt)."
  echo
  echo "The MIT License"
  echo
  echo "$tabler_copyright"
  cat <<'EOF'

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF
} >"$tmp_license"
install_file "$tmp_license" "$LICENSES/tabler-core.txt"

# ---------------------------------------------------------------- verify
for entry in "${FILES[@]}"; do
  dst="$VENDOR/${entry#*|}"
  [[ -s "$dst" ]] || die "vendored file missing or empty after copy: ${dst#"$ROOT/"}"
done
[[ -s "$LICENSES/tabler-core.txt" ]] || die "vendored file missing: licenses/tabler-core.txt"

log "done: $changed file(s) updated; $(du -sh "$VENDOR" | cut -f1) in ${VENDOR#"$ROOT/"}"
