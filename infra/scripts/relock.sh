#!/usr/bin/env bash
# Regenerates package-lock.json after any package.json change (or a merge of several): the
# lock follows every package.json and holds every platform's optional packages, so that
# `npm install` (prepare.sh, a fresh clone) leaves it byte-identical. Needs npm 11 and the
# registry; installs nothing. See infra/tests/scripts/relock.ts. Then run `npm install` to
# install what changed, and commit package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec node --import tsx infra/tests/scripts/relock.ts
