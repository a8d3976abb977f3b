"""`revsync completion SHELL`: print the shell completion script (click's own)."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

SHELLS = ("bash", "zsh", "fish")


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion_command(shell: str) -> int:
    """Print a completion script.

    \b
    bash:  eval "$(revsync completion bash)"        (in ~/.bashrc)
    zsh:   eval "$(revsync completion zsh)"         (in ~/.zshrc)
    fish:  revsync completion fish > ~/.config/fish/completions/revsync.fish
    """
    from . import cli

    completion = get_completion_class(shell)
    assert completion is not None
    script = completion(cli, {}, "revsync", "_REVSYNC_COMPLETE").source()
    click.echo(script)
    return 0
