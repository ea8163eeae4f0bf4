"""The command line of the window: its own flags, the rest handed to Qt."""

from __future__ import annotations

from explorer.gui import parse_arguments


def test_a_plain_start_means_what_the_parser_defaults_mean():
    plain, qt_args = parse_arguments([])
    parsed, _rest = parse_arguments(["-style", "fusion"])
    assert vars(plain) == vars(parsed) and qt_args == []


def test_own_flags_are_read_and_qt_arguments_passed_on():
    args, qt_args = parse_arguments(["--start-server", "-platform", "offscreen"])
    assert args.start_server and not args.smoke_test
    assert qt_args == ["-platform", "offscreen"]
