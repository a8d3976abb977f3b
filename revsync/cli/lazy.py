"""A click group that imports a command's module only when that command is used.

`revsync --version` then imports no command at all, and `revsync plan` only what plan
needs: deepdiff, jsonschema and httpx are loaded by the commands that use them.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """Commands given as `name -> "module:attribute"`, listed in the order given."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The workflow's order (validate, plan, apply, ...), not the alphabet."""
        return [*self.lazy_commands, *(n for n in self.commands if n not in self.lazy_commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(self._load(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        module_name, attribute = self.lazy_commands[cmd_name].split(":")
        module = importlib.import_module(module_name, package=__package__)
        command = getattr(module, attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
        return command
