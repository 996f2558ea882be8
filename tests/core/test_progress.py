"""Long commands show a progress bar only on a terminal (core/progress.py), and a summary line."""

from io import StringIO

from django.core.management.base import BaseCommand, OutputWrapper

from core.progress import Summary, progress_bar


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def command(stderr) -> BaseCommand:
    command = BaseCommand()
    command.stdout, command.stderr = OutputWrapper(StringIO()), OutputWrapper(stderr)
    return command


def work(cmd, verbosity=1) -> None:
    with progress_bar(cmd, description="Counting", total=None, verbosity=verbosity) as advance:
        advance(0, total=3)
        for _ in range(3):
            advance()


def test_a_terminal_gets_a_bar():
    terminal = Terminal()

    work(command(terminal))

    assert "\x1b[" in terminal.getvalue()  # drawn (and, transient, erased again)


def test_no_bar_off_a_terminal_nor_with_verbosity_0():
    piped, quiet = StringIO(), Terminal()

    work(command(piped))
    work(command(quiet), verbosity=0)

    assert piped.getvalue() == quiet.getvalue() == ""


def test_the_summary_is_one_plain_line_with_the_duration():
    terminal = Terminal()

    Summary().line(OutputWrapper(terminal), "Did 3 things")

    assert terminal.getvalue().startswith("Did 3 things in 0.")
    assert terminal.getvalue().endswith(" s.\n") and "\x1b" not in terminal.getvalue()
