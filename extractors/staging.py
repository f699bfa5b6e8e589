"""Writing an extractor's output: normalized posts and quarantine lines in one JSON Lines stream.

A staging file is written to `<path>.part` and renamed when complete, so a task that dies half-way
leaves no file the warehouse could mistake for a finished extract. `-` writes to stdout.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from extractors.post import MalformedPost, dumps, quarantine_record


@dataclass
class StagingCounts:
    posts: int = 0
    quarantined: int = 0


class StagingWriter:
    """Context manager: `add_post`, `add_quarantine`; commits (renames) on a clean exit."""

    def __init__(self, out_path: Path | str):
        self.out_path = out_path
        self.counts = StagingCounts()
        self._handle: IO[str] | None = None
        self._part: Path | None = None

    def __enter__(self) -> StagingWriter:
        if str(self.out_path) == "-":
            self._handle = sys.stdout
        elif Path(self.out_path).exists() and not Path(self.out_path).is_file():
            # a device or a pipe (/dev/stdout): written in place, never replaced by a renamed file
            self._handle = Path(self.out_path).open("w", encoding="utf-8")
        else:
            target = Path(self.out_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            self._part = target.with_name(target.name + ".part")
            self._handle = self._part.open("w", encoding="utf-8")
        return self

    def add_post(self, post: dict[str, Any]) -> None:
        self._handle.write(dumps(post) + "\n")
        self.counts.posts += 1

    def add_quarantine(self, source: str, reason: str, raw: Any, received_at: str | None = None) -> None:
        self._handle.write(dumps(quarantine_record(source, reason, raw, received_at)) + "\n")
        self.counts.quarantined += 1

    def add_record(self, record: dict[str, Any]) -> None:
        """A record that is already a post or a quarantine line (e.g. from a replay)."""
        self._handle.write(dumps(record) + "\n")
        if record.get("_quarantine"):
            self.counts.quarantined += 1
        else:
            self.counts.posts += 1

    def add(
        self,
        source: str,
        post: dict[str, Any] | None,
        error: MalformedPost | None,
        raw: Any,
        received_at: str | None = None,
    ) -> None:
        """One normalizer result: the post, or the raw item with the error's reason."""
        if error is not None:
            self.add_quarantine(source, error.reason, raw, received_at)
        else:
            self.add_post(post)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._part is None:
            if self._handle is sys.stdout:
                self._handle.flush()
            else:
                self._handle.close()
            return
        self._handle.close()
        if exc_type is None:
            os.replace(self._part, self.out_path)
        else:
            self._part.unlink(missing_ok=True)
