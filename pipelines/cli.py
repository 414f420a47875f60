"""The `xdd` command line: thin wrappers over library functions; errors are one clean line."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.errors import XddError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                         default=Path("data/xdd.duckdb"), show_default=True, envvar="XDD_DB",
                         help="Knowledge base file.")


def usage_error(exc: click.UsageError) -> None:
    """A click usage error (unknown option, missing argument, bad value) as one line on stderr,
    `error: xdd CMD: ... (see xdd CMD --help)`, and exit code 2 (click's code for misuse)."""
    path = exc.ctx.command_path if exc.ctx is not None else "xdd"
    message = " ".join(exc.format_message().split())
    click.echo(f"error: {path}: {message} (see {path} --help)", err=True)
    sys.exit(exc.exit_code or 2)


class XddGroup(click.Group):
    """Turns domain errors into `error: ...` on stderr with exit code 1, and click's usage
    errors (of the group and of every command) into one `error: ...` line with exit code 2."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            usage_error(exc)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            usage_error(exc)
        except XddError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:      # a path the user gave: missing folder, no permission, a folder
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            sys.exit(130)


@click.group(cls=XddGroup, context_settings=CONTEXT)
@click.version_option("0.1.0", prog_name="xdd")
def main() -> None:
    """xdd: a knowledge base of Vietnamese party-building news.

    \b
    Crawl sites, extract party bodies, documents, places, figures and practices,
    load them into DuckDB, then search and compare.
    """


from pipelines import commands  # noqa: E402,F401  (registers the commands on `main`)
