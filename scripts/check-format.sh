#!/usr/bin/env bash
# Fails if any tracked C++ file differs from .clang-format. Usage: check-format.sh [clang-format]
set -u
cf=${1:-clang-format}
cd "$(git rev-parse --show-toplevel 2>/dev/null || pwd)" || exit 2
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find . -name '*.[ch]pp' -not -path './build/*')
[ "${#files[@]}" -gt 0 ] || { echo "format: no files"; exit 0; }
if "$cf" --dry-run -Werror "${files[@]}"; then
  echo "format: ${#files[@]} files ok"
else
  echo "format: run '$cf -i' on the files above"
  exit 1
fi
