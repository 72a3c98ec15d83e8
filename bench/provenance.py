"""What a bench measured: the commit, and whether the engine or the twin had uncommitted changes
(their figures move with them). Shared by the bench scripts, which run from this folder."""

from __future__ import annotations

import subprocess


def code_version() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src/teamline/routing", "src/teamline/sim"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted routing/sim changes' if dirty else ''}"
