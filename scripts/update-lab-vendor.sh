#!/usr/bin/env bash
# Refreshes the front-end files the lab's page is built with (lab/web/vendor) from the versions
# lab/package-lock.json pins: npm ci in lab/, then the built files and licence copied in. Run by
# hand after changing lab/package.json (nothing runs it at build or test time: the copied files
# are committed, so the build needs no network).
set -euo pipefail

folder="$(cd "$(dirname "${BASH_SOURCE[0]}")/../lab" && pwd)"
(cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$folder/node_modules/uplot/dist/uPlot.iife.min.js" "$folder/web/vendor/uplot.iife.min.js"
cp "$folder/node_modules/uplot/dist/uPlot.min.css" "$folder/web/vendor/uPlot.min.css"
cp "$folder/node_modules/uplot/LICENSE" "$folder/web/vendor/uPlot.LICENSE"
echo "update-lab-vendor: uPlot $(node -p "require('$folder/node_modules/uplot/package.json').version") in $folder/web/vendor"
