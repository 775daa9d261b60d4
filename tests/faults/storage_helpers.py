from __future__ import annotations

from pathlib import Path


def files_under(root: Path) -> list[Path]:
    """Every file under ``root`` (none if it does not exist)."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []
