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


class XddGroup(click.Group):
    """Turns domain errors into `error: ...` on stderr with exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except XddError as exc:
            click.echo(f"error: {exc}", err=True)
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
