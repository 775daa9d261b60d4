"""Where an anonymous visitor of ``/`` can go: the public website registers its sites here
(core knows no portal; the portal app lists its public sites when it is installed)."""

from __future__ import annotations

from collections.abc import Callable

# () -> [(site title, url)], most senior committee first
_PROVIDERS: list[Callable[[], list[tuple[str, str]]]] = []


def register(provider: Callable[[], list[tuple[str, str]]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def public_sites() -> list[tuple[str, str]]:
    return [site for provider in _PROVIDERS for site in provider()]
