#!/usr/bin/env bash
# Build the sdist and the wheel, install the wheel into a fresh virtual environment outside the
# checkout, start a site with `site-builder init --example` and build it: what a new user does.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
python3 -m venv .venv-build && .venv-build/bin/pip install -q build
rm -rf dist && .venv-build/bin/python -m build -q . >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q dist/*.whl
cd "$work"
"$work/venv/bin/site-builder" --version
"$work/venv/bin/site-builder" init empty-site   # no reports yet: a first build still gives every page type
(cd empty-site && "$work/venv/bin/site-builder" build && test -s site/search/meta.json && test -s site/stats/index.html)
"$work/venv/bin/site-builder" init mysite --example
# Installed from a file: the workflows install that very wheel, copied into the site.
for workflow in pages check; do
  line=$(sed -n 's/^  SITE_BUILDER: "\(.*\)"$/\1/p' "mysite/.github/workflows/$workflow.yml")
  cmp -s "mysite/$line" "$repo"/dist/*.whl || { echo "$workflow.yml installs '$line', which is not the wheel installed from" >&2; exit 1; }
done
cd mysite
"$work/venv/bin/site-builder" build --site-url https://example.gov.cn
for f in site/index.html site/assets/site.css site/search/meta.json site/stats/index.html site/data/stats.xlsx; do
  test -s "$f" || { echo "missing from the wheel's build: $f" >&2; exit 1; }
done
pages=$(find site -name index.html | wc -l)
echo "wheel OK: installed outside the checkout, init --example, build: $pages pages"
