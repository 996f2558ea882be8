"""Progress bars and one-line summaries for the long management commands (rich).

A bar over the command's real units of work (accounts invoiced, accounts purged, demo parts,
templates registered) is drawn on the command's stderr only when that is a terminal and
--verbosity is not 0: piped, redirected or run by cron or `call_command` with a StringIO, nothing
but plain lines comes out (no escape codes). stdout is left to what the command prints, which
for `invoice`, `purge_recipients` and `seed_demo` is one JSON object that scripts read.

The summary (counts and duration) is one plain line, always written: on stderr for the commands
whose stdout is JSON, on stdout for the others (`Summary.line`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def shows_progress(command, verbosity: int) -> bool:
    return verbosity > 0 and command.stderr.isatty()


@contextmanager
def progress_bar(command, *, description: str, total: int | None, verbosity: int
                 ) -> Iterator[Callable[..., None]]:
    """Yields `advance(count=1, total=None, description=None)`; a no-op where no bar is shown. The
    bar is transient: it is gone when the work is done, and the summary stays."""
    if not shows_progress(command, verbosity):
        yield lambda count=1, total=None, description=None: None
        return
    console = Console(file=command.stderr._out, stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=total)

        def advance(count: int = 1, total: int | None = None, description: str | None = None) -> None:
            progress.update(task, advance=count, **({"total": total} if total is not None else {}),
                            **({"description": description} if description else {}))

        yield advance


class Summary:
    """The duration of a command, from its start to its summary line."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def text(self, counts: str) -> str:
        return f"{counts} in {time.monotonic() - self.started:.1f} s."

    def line(self, stream, counts: str) -> None:
        # Plain, even on stderr (Django styles stderr as an error on a terminal).
        stream.write(self.text(counts), style_func=lambda text: text)
