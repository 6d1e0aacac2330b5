"""The `backchannel` command line: click commands over corpus/ (ingest and the checks on the
file), analysis/ (analyze, report, roster, identities, export), evidence/ (evidence), public/
(publish-build), publish/ (serve, which runs Datasette with the plugin in a process of its own,
and metadata) and cluster.py (--scheduler).

Every command ends in one sentence and an exit status, never a traceback: backchannel's own
errors (errors.py) are caught once, by the group (_Commands); a signal, or the corpus or its
disk failing, by _guarded; a corpus that is missing or is not one, by _corpus_file."""

from __future__ import annotations

import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

# The commands import the analysis and the plugin when they run: `ingest` and its forked
# parsers stay free of networkx, spaCy and Datasette.
from . import __version__
from .analysis import report as report_module
from .corpus import (
    IngestSummary,
    check_file,
    ingest,
    open_corpus,
    open_readonly,
    problem,
    quick_check,
    writable,
)
from .corpus.roster import RosterError, load_roster, save_roster
from .corpus.timezone import apply_zone, check_zone, store_zone
from .errors import BackchannelError
from .ingest.formats import described
from .stopping import NAMES, Stopped, exit_now, stop_requested, stoppable

if TYPE_CHECKING:
    from .analysis import AnalyzeSummary
    from .analysis.roster_draft import Draft
    from .cluster import ClusterPool
    from .corpus.roster import Roster

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
F = TypeVar("F", bound=Callable[..., Any])


def db_option(fn: F) -> F:
    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default="backchannel.db",
        show_default=True,
        help="The corpus file (SQLite).",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return cast(F, wrapper)


def timezone_option(fn: F) -> F:
    return click.option(
        "--timezone",
        help="The corpus's time zone, an IANA name (America/Los_Angeles): every date shown is "
        "in it. Stored: later runs and serve use it.",
    )(fn)


def _zone(name: str | None) -> str | None:
    return check_zone(name) if name else None


def scheduler_option(fn: F) -> F:
    return click.option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run the parsing, splitting and NER on a Dask cluster: a scheduler's address "
        "(tcp://host:8786), or local[:N] for N worker processes here. The corpus is written "
        "here, as without it.",
    )(fn)


@contextmanager
def _cluster(address: str | None) -> Iterator[ClusterPool | None]:
    """The cluster for one command, closed at its end; None without --scheduler."""
    if not address:
        yield None
        return
    from .cluster import connect, describe

    try:
        pool = connect(address)  # a VersionMismatch says its own sentence (errors.py)
    except (OSError, ValueError) as exc:  # no scheduler there, or not an address
        raise click.ClickException(f"cannot reach the scheduler at {address}: {exc}") from exc
    click.echo(f"cluster: {describe(pool)}", err=True)
    try:
        yield pool
    finally:
        pool.close()


def roster_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help=help
    )


KEPT = "keeps what was committed before; run the same command again to go on"


@contextmanager
def _guarded(db_path: Path, kept: str = KEPT, output: Path | None = None) -> Iterator[None]:
    """A command's run, whatever stops it, ends in one sentence and an exit status, never a
    traceback: a signal (Ctrl-C, SIGTERM: 128 + its number), the corpus or its disk failing
    (1). What the run had not committed is rolled back by the code it unwinds through."""
    with stoppable():
        try:
            yield
        except Stopped as exc:
            _stopped(exc.signum, db_path, kept)
        except (sqlite3.Error, OSError) as exc:
            if stop_requested():  # a statement the signal interrupted
                _stopped(stop_requested(), db_path, kept)
            sentence = problem(db_path, exc, output)
            if sentence is None:
                raise
            raise click.ClickException(sentence) from exc


def _stopped(signum: int, db_path: Path, kept: str) -> None:
    click.echo(f"Stopped by {NAMES.get(signum, signum)}: {db_path} {kept}", err=True)
    exit_now(signum)


class _Commands(click.Group):
    """The commands. backchannel's own errors (errors.py) are caught here, once: the command
    ends in the error's sentence and exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BackchannelError as exc:
            error = click.ClickException(exc.sentence())
            error.exit_code = exc.exit_code  # type: ignore[misc]  # click declares it per class
            raise error from exc


@click.group(cls=_Commands, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version")
def cli() -> None:
    """Turn the email dump from a public-records request into a corpus a newsroom can question."""


def _ingest_help() -> str:
    """ingest's help, its formats listed from the formats registry (ingest/formats.py)."""
    read, not_read = described()
    return (
        "Read a dump's email files into the corpus.\n\n"
        "PATHS are files and folders (walked whole); each file's format is told by its "
        f"content: {'; '.join(read)}. Recognised but not read (each listed as an error): "
        f"{'; '.join(not_read)}.\n\n"
        "Re-running adds nothing already there; a run that was killed resumes.\n\n"
        "Example:\n\n    backchannel ingest dump/ --db foia.db"
    )


@cli.command("ingest", help=_ingest_help(), short_help="Read a dump's email files into the corpus.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--custodian", help="Whose mailbox these files are (default: told by the layout).")
@click.option(
    "--custodian-depth",
    type=click.IntRange(min=1),
    help="The folder this many levels under each PATH is the custodian (unusual layouts).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="Parser processes (default: up to 2).",
)
@scheduler_option
def ingest_command(
    paths: tuple[Path, ...],
    db_path: Path,
    custodian: str | None,
    custodian_depth: int | None,
    workers: int,
    scheduler: str | None,
) -> None:
    # Its help: _ingest_help, which lists the formats from their registry.
    db = _open(db_path)
    total = sum(_size(p) for p in paths)
    bar = (
        click.progressbar(length=total, label="ingesting", file=sys.stderr, show_eta=True)
        if sys.stderr.isatty()
        else nullcontext(None)
    )
    try:
        with _guarded(db_path), _cluster(scheduler) as cluster, bar as progress:
            summary = ingest(
                db,
                list(paths),
                custodian=custodian,
                custodian_depth=custodian_depth or 0,
                workers=workers,
                on_bytes=progress.update if progress is not None else None,
                cluster=cluster,
            )
    finally:
        db.close()
    click.echo(format_summary(summary, db_path))


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


WARNING_KINDS_SHOWN = 5
CUSTODIANS_SHOWN = 12  # the custodians table has them all


def _rules(custodians: list[dict]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for c in custodians:
        counts[c["rule"] or "?"] = counts.get(c["rule"] or "?", 0) + 1
    return sorted(
        counts.items(), key=lambda kv: -kv[1]
    )  # the commonest kinds of warning, grouped, in the summary


def _corpora(found: list[tuple[str, str]]) -> str:
    """The corpus files found in the dump, by why each was left: "corpus.db and 2 more (the
    corpus being written); old.db (a backchannel corpus)"."""
    by_why: dict[str, list[str]] = {}
    for path, why in found:
        by_why.setdefault(why, []).append(path)
    return "; ".join(
        f"{paths[0]}{f' and {len(paths) - 1} more' if len(paths) > 1 else ''} ({why})"
        for why, paths in by_why.items()
    )


def format_summary(s: IngestSummary, db_path: Path) -> str:
    lines = [
        f"Ingested into {db_path}",
        f"  files read      {s.files:>9,}   (already in the corpus, skipped: {s.already:,})",
        *(
            [f"    read anew     {s.reread:>9,}   (an older version of their reader read them)"]
            if s.reread
            else []
        ),
        f"  messages        {s.messages:>9,}   from {len(s.run_custodians)} custodian(s)",
        f"    new           {s.new:>9,}",
        f"    duplicates    {s.duplicates:>9,}   (copies of messages already in)",
        f"    unreadable    {s.failed:>9,}",
        f"    parsed quick  {s.quick:>9,}   (the rest by the stdlib's feed parser; same records)",
        f"  errors          {s.errors:>9,}   ({s.unreadable:,} files not email or unreadable)",
        f"  warnings        {s.warnings:>9,}   (messages read with a defect)",
        *[
            f"    {n:>11,}   {kind[:90]}"
            for kind, n in s.warning_kinds.most_common(WARNING_KINDS_SHOWN)
        ],
        f"  not email       {sum(s.skipped.values()):>9,}   "
        + (
            "(" + ", ".join(f"{k} {v}" for k, v in sorted(s.skipped.items())) + ")"
            if s.skipped
            else "(contacts, calendar entries, tasks, notes: counted, skipped)"
        ),
        *([_productions_line(s)] if s.productions else []),
        *(
            [f"  corpus files    {len(s.corpora):>9,}   not read: {_corpora(s.corpora)}"]
            if s.corpora
            else []
        ),
        f"  time            {s.seconds:>9.1f} s   ({s.rate:,.0f} messages/s)",
        f"  this run added  {s.files_new:>9,}   new files ({s.new:,} new messages, "
        f"{s.duplicates:,} copies of messages already in)",
        f"  custodians      {len(s.custodians):>9,}   in the corpus, by how each was told: "
        + ", ".join(f"{rule} {n}" for rule, n in _rules(s.custodians)),
        *[
            f"    {c['name'][:28]:<28} {c['copies']:>7,} copies  {c['messages']:>7,} messages"
            f"  ({c['rule']})"
            for c in s.custodians[:CUSTODIANS_SHOWN]
        ],
    ]
    if s.errors or s.warnings:
        lines.append("  See the errors table for each one: source, location, stage, reason.")
    return "\n".join(lines)


def _productions_line(s: IngestSummary) -> str:
    p = s.productions
    return (
        f"  load files      {p['load_files']:>9,}   ({p['records']:,} records: {p['emails']:,} "
        f"emails, {p['attachments']:,} attachments, {p['not_email']:,} not email, "
        f"{p['not_read']:,} not read; {p['missing_files']:,} named files missing)"
    )


@cli.command("analyze")
@db_option
@roster_option("The officials, their staff and the organizations to watch (YAML or CSV).")
@click.option(
    "--overrides",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Your identity decisions (YAML: "same: [[a, b]]", "different: [[a, b]]").',
)
@timezone_option
@scheduler_option
@click.option(
    "--entities",
    type=click.Choice(["now", "later"]),
    default="now",
    show_default=True,
    help="later: stop once the counts are made (the table is printed either way); the next "
    "analyze reads the names and organizations in the text.",
)
def analyze_command(
    db_path: Path,
    roster: Path | None,
    overrides: Path | None,
    timezone: str | None,
    scheduler: str | None,
    entities: str,
) -> None:
    """Split authored text from quoted history, recover the emails quoted in replies, rebuild
    threads, and list replies whose parent was not produced. With --roster, check the roster
    and store it (a roster with a mistake is refused whole, before anything is written).

    Re-running does only what is new.

    Example:

        backchannel analyze --db foia.db --roster roster.yaml
    """
    _must_exist(db_path)
    from .analysis import analyze

    loaded = load_roster(roster) if roster is not None else None
    decisions = _load_overrides(overrides) if overrides is not None else None
    zone = _zone(timezone)
    db = _open_existing(db_path)
    try:
        with _guarded(db_path):
            if loaded is not None:
                save_roster(db, loaded)
            with _cluster(scheduler) as cluster:
                s = analyze(
                    db,
                    roster=loaded,
                    overrides=decisions,
                    timezone=zone,
                    cluster=cluster,
                    entities=entities,
                    on_counts=functools.partial(_print_table, db, db_path, entities),
                )
    finally:
        db.close()
    click.echo(format_analyze_summary(s, db_path, loaded))


def _print_table(db: Any, db_path: Path, entities: str, counts: Any) -> None:
    """The canonical table, as soon as the counts are committed (analyze goes on with NER)."""
    if not counts.groups.organizations or not counts.groups.officials:
        return
    data = report_module.build(db, counts=counts)
    after = (
        "names and organizations in the text are read next; the corpus can be opened "
        f"meanwhile: backchannel serve --db {db_path}"
        if entities == "now"
        else "names and organizations in the text are left for the next analyze"
    )
    click.echo(f"Counts made and saved; {after}\n\n{report_module.render(data, 'text')}\n")


def format_analyze_summary(s: AnalyzeSummary, db_path: Path, loaded: Roster | None) -> str:
    return "\n".join(
        [
            f"Analyzed {db_path}",
            f"  bodies split        {s.split:>9,}   (authored text apart from quoted history)",
            f"  recovered emails    {s.recovered_new:>9,}   (known only from quotes; "
            f"{s.recovered_matched:,} quoted copies of emails already in)",
            f"  threads             {s.threads:>9,}",
            f"  missing parents     {s.missing_parents:>9,}   (replies to what was not "
            "produced: see missing_parents)",
            f"  Bates gaps          {s.bates_gaps:>9,}   (numbers a production skipped: "
            "see bates_gaps)",
            f"  silent stretches    {s.silent_stretches:>9,}   (empty weeks in busy "
            "mailboxes: see silent_stretches)",
            f"  redaction diffs     {s.redaction_diffs:>9,}   (one email released twice, "
            "redacted otherwise: see redaction_diffs)",
            f"  persons             {s.identities.persons:>9,}   ({s.identities.merged:,} "
            f"addresses and names joined by a rule, {s.identities.suggestions:,} doubtful "
            f"cases left as suggestions, {s.identities.overrides:,} overrides)",
            f"  communications      {s.communications:>9,}   (message, sender, recipient; "
            f"{s.contacts:,} pairs of persons; counts and graph in {s.counts_seconds:.1f} s)",
            f"  entities read in    {s.ner.messages:>9,}   messages ({s.ner.mentions:,} "
            f"mentions, {s.ner.words / max(s.ner.seconds, 1e-9):,.0f} words/s)",
            *(
                [
                    f"  entities to read    {s.entities_pending:>9,}   messages still to be "
                    "read for names: run backchannel analyze again"
                ]
                if s.entities_pending
                else []
            ),
            *(
                [
                    "  note: this spaCy was compiled with profiling, which halves NER's "
                    "speed; scripts/setup.sh builds it without"
                ]
                if s.ner.slow_spacy
                else []
            ),
            f"  dates in            {s.zone or 'UTC'}"
            + (
                ""
                if s.zone or not s.proposed_zone[0]
                else f"   ({s.proposed_zone[1]:.0%} of the Date headers fit "
                f"{s.proposed_zone[0]}: --timezone {s.proposed_zone[0]} to use it)"
            ),
            f"  time                {s.seconds:>9.1f} s   (the counts after {s.counts_at:.1f} s)",
            "    " + ", ".join(f"{name} {t:.1f} s" for name, t in s.stage_seconds.items()),
            *(
                [
                    f"  roster              {len(loaded.officials):>9,}   officials, "
                    f"{len(loaded.people) - len(loaded.officials):,} staff and members, "
                    f"{len(loaded.organizations):,} organizations"
                ]
                if loaded is not None
                else []
            ),
        ]
    )


@cli.command("report")
@db_option
@roster_option("Store this roster first and recount with it (identities and counts only: seconds).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(report_module.FORMATS),
    default="text",
    show_default=True,
)
@click.option(
    "--include-recovered",
    is_flag=True,
    help="Count emails recovered from quoted history too (never twice: a quoted copy of an "
    "email in the corpus is that email).",
)
@click.option(
    "--datasette-url",
    default=report_module.DEFAULT_DATASETTE,
    show_default=True,
    help="Where `backchannel serve` runs: markdown and html link every figure to its emails.",
)
@click.option(
    "--query",
    "queries",
    multiple=True,
    metavar="TEXT",
    help='Count only the emails this search matches (words, "a phrase", OR, NOT, -word, '
    "word*; subjects, bodies with quoted history, attachments). Repeat it for one table per "
    "search and a line comparing them.",
)
@click.option(
    "--totals",
    is_flag=True,
    help="With --query: print only the line comparing each search's total with all emails'.",
)
@timezone_option
def report_command(
    db_path: Path,
    roster: Path | None,
    fmt: str,
    include_recovered: bool,
    datasette_url: str,
    queries: tuple[str, ...],
    totals: bool,
    timezone: str | None,
) -> None:
    """The canonical table: each watched organization with each official's office, messages
    each way, first and last date, busiest months; and the officials ranked. With --query,
    the same tables for the emails a search matches.

    Example:

        backchannel report --db foia.db --format markdown > findings.md
        backchannel report --db foia.db --query "charter" --query '"Measure R"'
    """
    from .analysis.identities import resolve
    from .analysis.run import count_and_measure

    zone = _zone(timezone)
    loaded = load_roster(roster) if roster is not None else None
    db = _open_existing(db_path, reading=loaded is None and zone is None)
    try:
        with _guarded(db_path):
            if loaded is not None:
                save_roster(db, loaded)
                resolve(db, loaded)
            if zone is not None:
                store_zone(db, zone)
                apply_zone(db, zone)
            if loaded is not None or zone is not None:
                count_and_measure(db)
            data = report_module.build(db, include_recovered=include_recovered)
            topics = [_topic_report(db, q, include_recovered) for q in queries]
    finally:
        db.close()
    if totals and topics:
        click.echo(report_module.comparison_text(topics, data))
    elif topics:
        click.echo(report_module.render_topics(topics, data, fmt, datasette_url, db_path.stem))
    else:
        click.echo(report_module.render(data, fmt, datasette_url, db_path.stem))


def _topic_report(db: Any, query: str, include_recovered: bool) -> dict:
    return report_module.build(db, include_recovered=include_recovered, query=query)


@cli.command("evidence")
@db_option
@click.option("--organization", "organization", metavar="ORG", help="A watched organization.")
@click.option("--official", metavar="NAME", help="An official (their office).")
@click.option(
    "--person", "persons", multiple=True, metavar="NAME", help="A person; twice for a pair."
)
@click.option("--counted", metavar="ID", help="A count's id (counted_messages.counted).")
@click.option(
    "--direction",
    type=click.Choice(["org_to_office", "office_to_org", "sent", "received", "a_to_b", "b_to_a"]),
    help="One direction of the figure (default: either way). For two persons, sent is from "
    "the first to the second.",
)
@click.option("--month", metavar="YYYY-MM", help="Only the figure's emails of that month.")
@click.option("--query", metavar="TEXT", help="Only the emails this search matches.")
@click.option(
    "--include-recovered",
    is_flag=True,
    help="Emails recovered from quoted history too, marked (as report --include-recovered).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "html", "pdf"]), help="Default: --out's suffix."
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def evidence_command(
    db_path: Path,
    organization: str | None,
    official: str | None,
    persons: tuple[str, ...],
    counted: str | None,
    direction: str | None,
    month: str | None,
    query: str | None,
    include_recovered: bool,
    fmt: str | None,
    out: Path,
) -> None:
    """Write the emails behind one figure, one row each by date, with every copy's file,
    place in it, custodian and sha256: a fact-checker's packet (CSV, HTML or PDF). Its rows
    are the figure.

    Example:

    \b
        backchannel evidence --db foia.db --organization "Better Schools Now"
            --official "Dana Whitfield" --query charter --out whitfield-charter.pdf
    """
    from dataclasses import replace

    from . import evidence

    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in evidence.FORMATS:
        raise click.ClickException("give --format csv, html or pdf (or an --out ending so)")
    _corpus_file(db_path)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        figure = evidence.choose(conn, organization, official, persons, counted, direction)
        figure = replace(figure, month=month, query=query, recovered=include_recovered)
        packet = evidence.read(conn, figure)
    except sqlite3.OperationalError as exc:
        raise click.ClickException(f"cannot read {db_path}: {exc} (run analyze first?)") from exc
    finally:
        conn.close()
    out.write_bytes(evidence.write(packet, fmt))
    click.echo(f"Wrote {out}: {packet.headline()}")


@cli.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml", "csv"]),
    required=True,
    help="gexf or graphml for Gephi; csv writes OUT as a folder with nodes.csv and edges.csv.",
)
@click.option(
    "--level",
    type=click.Choice(["persons", "groups"]),
    default="persons",
    show_default=True,
    help="persons, or the collapsed graph of offices and organizations.",
)
@click.argument("out", type=click.Path(path_type=Path))
def export_command(db_path: Path, fmt: str, level: str, out: Path) -> None:
    """Write the communication graph (from the last analyze) for Gephi or a spreadsheet.

    Example:

        backchannel export --db foia.db --format gexf network.gexf
    """
    from .analysis.graph import export as export_graph

    db = _open_existing(db_path, reading=True)
    try:
        with _guarded(db_path):
            try:
                edges = export_graph(db, fmt, out, level)
            except OSError as exc:
                if problem(db_path, exc) is not None:
                    raise  # a full disk: said as such
                raise click.ClickException(
                    f"cannot write {exc.filename or out}: {exc.strerror or exc}"
                ) from exc
    finally:
        db.close()
    click.echo(f"Wrote {out} ({level}, {edges:,} edges)")


@cli.command("identities")
@db_option
@click.option("--everyone", is_flag=True, help="Every person, not only the roster's.")
def identities_command(db_path: Path, everyone: bool) -> None:
    """Every address and name joined to each roster person, with the rule and its evidence,
    and the suggestions left for you: read them before trusting a count.

    Example:

        backchannel identities --db foia.db | less
    """
    from .analysis.identities import merges_report

    db = _open_existing(db_path, reading=True)
    try:
        with _guarded(db_path):
            text = merges_report(db, everyone)
    finally:
        db.close()
    click.echo(text)


def _open(db_path: Path) -> Any:
    """The corpus opened for writing (made when missing), or a sentence that says why not."""
    try:
        return open_corpus(db_path)
    except (sqlite3.Error, OSError) as exc:
        raise click.ClickException(_cannot_open(db_path, exc)) from exc


def _must_exist(db_path: Path) -> None:
    if not db_path.exists():
        raise click.ClickException(f"{db_path} does not exist: run backchannel ingest first")


def _corpus_file(db_path: Path) -> None:
    """A sentence, and no run, unless the file exists and is a corpus."""
    _must_exist(db_path)
    _check(db_path)


def _check(db_path: Path) -> None:
    """A sentence, and no run, unless the file is a corpus (corpus/health.py)."""
    try:
        check_file(db_path)
    except (sqlite3.Error, OSError) as exc:
        raise click.ClickException(_cannot_open(db_path, exc)) from exc


def _cannot_open(db_path: Path, exc: BaseException) -> str:
    return problem(db_path, exc) or f"cannot open {db_path}: {exc}"


def _open_existing(db_path: Path, reading: bool = False) -> Any:
    """An existing corpus; `reading`: for a command that only reads, which also takes a
    read-only file or folder (opened read-only, as it is)."""
    _corpus_file(db_path)
    if not reading or writable(db_path):
        return _open(db_path)
    try:
        return open_readonly(db_path)
    except (sqlite3.Error, OSError) as exc:
        raise click.ClickException(_cannot_open(db_path, exc)) from exc


def _load_overrides(path: Path) -> list[tuple[str, str, str]]:
    from .analysis.overrides import read_overrides

    return read_overrides(path)


def _served(db_path: Path) -> list[str]:
    """How Datasette opens the corpus. Read-only, never immutable where a run may be writing
    it: an immutable file is read without locks, so a page read during an ingest saw pages
    half-written ("database disk image is malformed"); read-only on the write-ahead log, each
    page sees the last commit. In a folder no one can write (where SQLite could not even make
    the log's index), immutable."""
    if os.access(db_path.absolute().parent, os.W_OK) or Path(f"{db_path}-shm").exists():
        return [str(db_path)]
    return ["-i", str(db_path)]


def _settle(db_path: Path) -> None:
    """A run killed mid-write leaves a hot journal, which a read-only server cannot roll back
    ("attempt to write a readonly database"): one read-write open rolls it back first."""
    if Path(f"{db_path}-journal").exists() and os.access(db_path, os.W_OK):
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
        finally:
            conn.close()


@cli.command("publish-build")
@db_option
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The public file to write (replaced whole if it exists).",
)
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Who else stays visible, what is withheld, what is kept (YAML; see docs/public-build.md).",
)
def publish_build_command(db_path: Path, out: Path, policy_path: Path | None) -> None:
    """Make a public file for publication: private people pseudonymized everywhere, withheld
    emails out, internal tables dropped, indexes rebuilt from the scrubbed text.

    Example:

        backchannel publish-build --db foia.db --out public.db --policy policy.yaml
    """
    from .public import build, load_policy

    _must_exist(db_path)
    policy = load_policy(policy_path) if policy_path else None
    if not writable(db_path):
        raise click.ClickException(
            f"{db_path} (or its folder) is read-only, and publish-build writes two things into "
            "the working corpus: the key that keeps every pseudonym the same from build to "
            "build, and the log of what it replaced (suppression_log). Make it writable, or "
            "build from a writable copy"
        )
    _check(db_path)
    _settle(db_path)
    kept = f"is unchanged, and nothing unscrubbed is left beside {out}"
    try:
        with _guarded(db_path, kept, output=out):
            s = build(db_path, out, policy)
    except (ValueError, sqlite3.Error) as exc:
        raise click.ClickException(f"cannot build {out}: {exc}") from exc
    rules = ", ".join(f"{n:,} {rule}" for rule, n in s.replaced.most_common()) or "nothing"
    click.echo(
        f"Wrote {out}\n"
        f"  private persons       {s.private_persons:>7,}   pseudonymized everywhere\n"
        f"  private names         {s.private_names:>7,}   names replaced in text (forms counted)\n"
        f"  replaced              {sum(s.replaced.values()):>7,}   {rules}\n"
        f"  cells changed         {s.cells:>7,}\n"
        f"  emails withheld       {s.withheld:>7,}   (the withheld table says why)\n"
        f"  tables dropped        {', '.join(s.dropped_tables) or 'none'}\n"
        f"  file names            {'kept' if s.file_names_kept else 'replaced by their hashes'}\n"
        f"  time                  {s.seconds:>7.1f} s\n"
        f"What was replaced, where and why: the suppression_log table of {db_path}.\n"
        f"Check it before publishing:  backchannel serve --db {out}"
    )


@cli.group("roster")
def roster_group() -> None:
    """The roster: what the corpus suggests around the officials and organizations you know.

    Example:

        backchannel roster draft --db foia.db --roster officials.yaml --out draft.yaml
    """


@roster_group.command("draft")
@db_option
@roster_option("What you know: the officials, the organizations (default: the stored roster).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The drafted roster to write (YAML; replaced if it exists).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Proposals under this confidence are written as comments, not entries.",
)
def roster_draft_command(
    db_path: Path, roster: Path | None, out: Path, min_confidence: float
) -> None:
    """Draft a roster from the corpus: each official's office staff and each organization's
    people, every proposal with its evidence as a comment (the signature line and an email,
    how often they copied the official, the domain). Your roster's entries are kept as they
    are, and nobody it lists is moved. Run analyze first; read the draft, then analyze with it.

    Example:

        backchannel roster draft --db foia.db --roster officials.yaml --out draft.yaml
    """
    from .analysis.roster_draft import draft
    from .analysis.roster_yaml import write
    from .corpus.roster import stored_roster

    db = _open_existing(db_path)
    try:
        with _guarded(db_path):
            known = load_roster(roster) if roster is not None else stored_roster(db)
            if known is None:
                raise click.ClickException(
                    "no roster: name the officials and organizations you know with --roster FILE"
                )
            analyzed = "select 1 from messages where body_authored is not null"
            if not db.execute(analyzed).fetchone():
                raise click.ClickException(
                    f"{db_path} is not analyzed: run backchannel analyze first"
                )
            found = draft(db, known, min_confidence)
    finally:
        db.close()
    try:
        write(found, out, db_path.name, str(roster or ""))
    except (OSError, RosterError) as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    click.echo(format_draft_summary(found, out, db_path))


def format_draft_summary(found: Draft, out: Path, db_path: Path) -> str:
    """What the draft proposes, per official and organization."""
    lines = [f"Wrote {out}"]
    groups = [(o.name, "staff") for o in found.known.officials] + [
        (o.name, "member") for o in found.known.organizations
    ]
    for group, kind in groups:
        mine = found.of(group, kind)
        entries = sum(1 for p in mine if p.status == "entry" and not p.joins)
        below = sum(1 for p in mine if p.status == "below")
        listed = sum(1 for p in mine if p.status == "listed")
        what = "staff" if kind == "staff" else "people"
        lines.append(
            f"  {group:<28} {what:<7} {entries:>3} proposed, {below} under "
            f"{found.min_confidence:.2f} (comments), {listed} of yours seen"
        )
    lines.append(
        f"Read each entry's evidence, then:  backchannel analyze --db {db_path} --roster {out}"
    )
    return "\n".join(lines)


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int)
def serve_command(db_path: Path, host: str, port: int) -> None:
    """Browse the corpus in Datasette (read-only).

    Example:

        backchannel serve --db foia.db
    """
    from .links import database_route, page_path
    from .publish import metadata_for

    _corpus_file(db_path)
    name = db_path.stem
    damage = quick_check(db_path)
    if damage:
        raise click.ClickException(damage)
    _settle(db_path)
    with tempfile.TemporaryDirectory() as tmp:
        # The metadata names the database; Datasette names it after the file.
        metadata = Path(tmp) / "metadata.json"
        meta = metadata_for(name, db_path)
        metadata.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        base = f"http://{host}:{port}"
        route = database_route(name)  # as Datasette writes it in URLs: foia~2E2025
        click.echo(
            f"Serving {db_path} read-only at {base}/  (Ctrl-C stops)\n"
            f"  the story            {base}{page_path('story', name)}\n"
            f"  the canonical table  {base}/{route}/office_contacts\n"
            f"  search               {base}{page_path('search', name)}\n"
            f"  charts               {base}{page_path('charts', name)}\n"
            f"  network              {base}{page_path('network', name)}\n"
            f"  what's missing       {base}{page_path('missing', name)}"
        )
        args = [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            *_served(db_path),
            "--metadata",
            str(metadata),
            # Facets come from the metadata; suggesting more costs seconds on a big table.
            "--setting",
            "suggest_facets",
            "off",
            "--host",
            host,
            "--port",
            str(port),
        ]
        child = subprocess.Popen(args)

        def forward(signum: int, _frame: object) -> None:  # stopping serve stops the server
            child.send_signal(signum)

        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, forward)
        code = child.wait()
    raise SystemExit(code)


@cli.command("metadata")
@db_option
def metadata_command(db_path: Path) -> None:
    """Print the Datasette metadata for the corpus, to serve it with your own Datasette.

    Example:

        backchannel metadata --db foia.db > metadata.json
        datasette foia.db --metadata metadata.json
    """
    from .publish import metadata_for

    _corpus_file(db_path)
    click.echo(json.dumps(metadata_for(db_path.stem, db_path), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    cli()
