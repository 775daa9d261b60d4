#!/bin/sh
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain and fail.
for candidate in "${PYTHON:-}" python3.12 python3.13 python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 \
    /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12 \
    /usr/local/bin/python3.13 /usr/bin/python3.13; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "Xieshang needs Python 3.12 or newer (Django 6); none was found. Install python3.12, or set PYTHON=/path/to/python3.12." >&2
echo "协商平台需要 Python 3.12 或更高版本（Django 6），未找到。请安装 python3.12，或设置 PYTHON=/path/to/python3.12。" >&2
exit 1
