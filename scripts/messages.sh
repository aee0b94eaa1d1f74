#!/usr/bin/env bash
# Re-extract the interface strings into crossing/locale/<lang>/LC_MESSAGES/django.po.
# Run it after adding or changing a translatable string, then translate the new (empty) entries
# and check with: .venv/bin/pytest tests/test_translations.py -q
# makemessages merges (msgmerge): existing translations are kept; strings no longer in the source
# are dropped (--no-obsolete). Needs GNU gettext (xgettext, msgmerge): apt-get install gettext.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

CROSSING_ENV="${CROSSING_ENV:-dev}" "$PYTHON" manage.py makemessages \
    -l zh_Hans -l th \
    --ignore=.venv --ignore=frontend --ignore=benchmarks --ignore=node_modules \
    --no-obsolete
