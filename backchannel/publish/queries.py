"""What the plugin's pages show, read from the corpus through Datasette's database object. Every
query here finds its rows by primary key or an indexed column: pages answer fast on a
100,000-message corpus."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from datasette.database import QueryInterrupted

from ..corpus.sql import sql_list
from ..corpus.timezone import month_range
from ..corpus.topic import AnyOf, Term, Topic, cut, fts_any, topic
from ..evidence.figure import DESCRIBE, Figure
from ..evidence.packet import count_filter
from ..vocabulary import (
    GROUP_EDGE,
    OFFICE,
    OFFICE_CONTACT,
    ORGANIZATION,
    RECIPIENT_ROLES,
    ROLES,
)

if TYPE_CHECKING:
    from datasette.database import Database

# Participants in the order the email page lists them.
ROLE_ORDER = (
    "case role "
    + " ".join(f"when '{role}' then {n}" for n, role in enumerate(ROLES))
    + f" else {len(ROLES)} end"
)
THREAD_LIMIT = 200
LIST_LIMIT = 2000


async def _rows(
    db: Database, sql: str, params: Any = None, slow: bool = False
) -> list[dict[str, Any]]:
    """The rows as dicts. `slow`: a search's emails, which may take more than Datasette's
    time limit on a big corpus (a word in most of 100,000 emails is a set of 90,000 to build):
    run on the database's thread without it."""
    if not slow:
        return [dict(r) for r in (await db.execute(sql, params or []))]

    def read(conn: Any) -> list[dict[str, Any]]:
        cursor = conn.execute(sql, params or [])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return await db.execute_fn(read)


async def _value(db: Database, sql: str, params: Any = None, slow: bool = False) -> Any:
    """The first column of the first row (None without one)."""
    found = await _rows(db, sql, params, slow)
    return next(iter(found[0].values())) if found else None


async def email(db: Database, message_id: str) -> dict | None:
    """One message with everything a fact-checker checks: participants, copies with their
    provenance, attachments, redactions, its thread, the entities in its authored text."""
    found = await _rows(db, "select * from messages where id = ?", [message_id])
    if not found:
        return None
    message = found[0]
    message["participants"] = await _rows(
        db,
        f"""select p.role, p.key, p.address, p.name, p.person_id, pe.name as person
            from participants p left join persons pe on pe.id = p.person_id
            where p.message_id = ? order by {ROLE_ORDER}, p.rowid""",
        [message_id],
    )
    message["copies"] = await _rows(
        db,
        """select c.custodian, c.custodian_rule, c.location, c."offset", c.length, c.folder,
                  c.pages, c.bates, c.document, c.note, c.method, c.found_in, s.path, s.format,
                  s.sha256
           from message_copies c left join sources s on s.id = c.source_id
           where c.message_id = ? order by c.rowid""",
        [message_id],
    )
    message["attachments"] = await _rows(
        db,
        """select name, content_type, size, sha256, substr(text, 1, 3000) as text,
                  length(text) as text_length
           from attachments where message_id = ? order by position""",
        [message_id],
    )
    message["redaction_marks"] = await _rows(
        db,
        """select r.page, r.code, r.kind, r.line, r.doubtful, s.path from redactions r
           left join sources s on s.id = r.source_id
           where r.message_id = ? order by s.path, r.page, r.rowid""",
        [message_id],
    )
    thread = (
        await _rows(
            db,
            """select id, message_id, in_reply_to, reference_ids,
                      coalesce(sent_local, sent_at) as sent_at, subject, from_name,
                      from_address, recovered from messages
               where thread_id = ? order by messages.sent_at, id limit ?""",
            [message["thread_id"], THREAD_LIMIT],
        )
        if message.get("thread_id")
        else []
    )
    message["thread"] = thread
    message["thread_tree"] = thread_tree(thread)
    message["counted_in"] = await counted_in(db, message_id)
    message["entities"] = await _rows(
        db,
        """select e.label, e.text, e.person_id, count(*) as n from mentions m
           join entities e on e.id = m.entity_id where m.message_id = ?
           group by e.id order by n desc, e.text""",
        [message_id],
    )
    return message


def thread_tree(thread: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The thread as a tree, depth-first, each row with its `depth`: a message hangs under the
    one its In-Reply-To (or else its last Reference) names. A parent the records lack is a
    placeholder row (`missing`: the Message-ID named), so a gap shows where it is. Messages
    joined by subject alone, with no header naming a parent, stay at the top, by date."""
    by_mid = {t["message_id"]: t for t in thread if t.get("message_id")}
    children: dict[str | None, list[dict[str, Any]]] = {}
    placeholders: dict[str, dict[str, Any]] = {}
    for t in thread:
        own = t.get("message_id")
        named: list[str] = [t["in_reply_to"]] if t.get("in_reply_to") else []
        named += [r for r in reversed((t.get("reference_ids") or "").split()) if r not in named]
        named = [r for r in named if r != own]
        if not named:
            children.setdefault(None, []).append(t)
            continue
        if named[0] in by_mid:
            children.setdefault(by_mid[named[0]]["id"], []).append(t)
            continue
        # The direct parent is not in the records: a placeholder there, itself under the
        # nearest earlier message its References name that is.
        wanted = named[0]
        if wanted not in placeholders:
            placeholders[wanted] = {"id": f"missing:{wanted}", "missing": wanted}
            above = next((by_mid[r]["id"] for r in named[1:] if r in by_mid), None)
            children.setdefault(above, []).append(placeholders[wanted])
        children.setdefault(placeholders[wanted]["id"], []).append(t)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for node in children.get(parent, []):
            if node["id"] in seen:  # a loop of References: each once
                continue
            seen.add(node["id"])
            out.append({**node, "depth": depth})
            walk(node["id"], depth + 1)

    walk(None, 0)
    for t in thread:  # a loop of In-Reply-To leaves no way in from the top: still shown
        if t["id"] not in seen:
            seen.add(t["id"])
            out.append({**t, "depth": 0})
            walk(t["id"], 1)
    return out


async def counted_in(db: Database, message_id: str) -> list[dict[str, Any]]:
    """The counts this message is part of: each count's id, direction and what it counts, the
    canonical table's first."""
    rows = await _rows(
        db,
        "select counted, kind, direction, recovered from counted_messages where message_id = ?",
        [message_id],
    )
    order = {OFFICE_CONTACT: 0, OFFICE: 1, ORGANIZATION: 2, GROUP_EDGE: 3}
    for r in rows:
        r["description"] = await describe(db, r["kind"], r["counted"], r["direction"])
    rows.sort(key=lambda r: (order.get(r["kind"], 9), r["description"]))
    return rows


async def describe(db: Database, kind: str | None, counted_id: str, direction: str | None) -> str:
    """What one count counts, in words ("from Better Schools Now to the office of …"): the
    words of its evidence packet (evidence/figure.py)."""
    if kind not in DESCRIBE:
        return "counted"
    sql, phrases, _ = DESCRIBE[kind]
    names = await _rows(db, sql, [counted_id])
    if not names:
        return "counted"
    return (phrases.get(direction) or phrases[None]).format(**names[0])


async def counted(
    db: Database,
    counted_id: str,
    direction: str | None,
    recovered: bool,
    month: str | None,
    query: str | None = None,
) -> dict:
    """The messages one count counts, each once, by date; and what the count is. With a
    `query`, only the emails that search matches. The same rows as the figure's evidence
    packet: both select them with evidence/packet.py's count_filter."""
    figure = Figure(counted_id, direction=direction, month=month, query=query, recovered=recovered)
    where, params = count_filter(figure)
    # Without Datasette's time limit: a figure of 40,000 emails, or a search's, takes more than
    # its second on a big corpus, and its list must open.
    rows = await _rows(
        db,
        f"""select m.id, coalesce(m.sent_local, m.sent_at) as sent_at, m.subject, m.from_name,
                   m.from_address, m.recovered,
                   group_concat(c.direction, ', ') as directions,
                   (select group_concat(coalesce(nullif(p.name, ''), p.address), '; ')
                    from participants p where p.message_id = m.id
                    and p.role in {sql_list(RECIPIENT_ROLES)}) as recipients
            from counted_messages c join messages m on m.id = c.message_id
            where {where}
            group by m.id order by m.sent_at, m.id limit ?""",
        [*params, LIST_LIMIT + 1],
        slow=True,
    )
    total = len(rows)
    if total > LIST_LIMIT:
        total = await _value(
            db,
            "select count(distinct c.message_id) from counted_messages c "
            f"join messages m on m.id = c.message_id where {where}",
            params,
            slow=True,
        )
    kinds = await _rows(
        db, "select kind from counted_messages where counted = ? limit 1", [counted_id]
    )
    description = await describe(db, kinds[0]["kind"] if kinds else None, counted_id, direction)
    withheld = 0
    if "withheld" in set(await db.table_names()):  # a public build: the count stands
        withheld = await _value(
            db,
            f"""select count(distinct c.message_id) from counted_messages c
                where {where} and c.message_id in (select message_id from withheld)""",
            params,
            slow=True,
        )
    return {
        "rows": rows[:LIST_LIMIT],
        "total": total,  # the emails listed, or that would be without the limit
        "truncated": total > LIST_LIMIT,
        "description": description,
        "withheld": withheld,
    }


EDGE_LIMIT = 3000  # person-to-person edges drawn at most: the busiest; the page says so


async def network(db: Database, level: str, limit: int) -> dict:
    """Nodes and edges for the network view: the collapsed graph of offices and organizations,
    or the persons with most correspondents (and the busiest edges among them)."""
    if level == "groups":
        nodes = await _rows(
            db,
            """select id, official as label, 'office' as kind, sent, received, community
               from offices union all
               select id, name, 'organization', sent, received, community from organizations""",
        )
        edges = await _rows(
            db,
            "select id as counted, 'sent' as direction, source, target, messages from group_edges",
        )
        return {"nodes": nodes, "edges": edges, "edges_total": len(edges)}
    nodes = await _rows(
        db,
        """select id, name as label, kind, organization, roster_group, sent, received, community
           from persons where correspondents > 0
           order by (kind != 'other') desc, correspondents desc, id limit ?""",
        [limit],
    )
    # Each top person's contacts by the (person_a, person_b) index, kept when the other is a
    # top person too, read from the index: a few hundred lookups, not a scan of every pair
    # (the unary + keeps SQLite from choosing person_b's own index, which would scan them).
    edges = await _rows(
        db,
        """with top as materialized (
               select id from persons where correspondents > 0
               order by (kind != 'other') desc, correspondents desc, id limit ?),
           pairs as materialized (
               select c.id, c.person_a, c.person_b, c.a_to_b, c.b_to_a
               from top t join contacts c on c.person_a = t.id
               where +c.person_b in (select id from top)),
           directed as (
               select id as counted, person_a as source, person_b as target,
                      a_to_b as messages, 'a_to_b' as direction from pairs where a_to_b > 0
               union all
               select id, person_b, person_a, b_to_a, 'b_to_a' from pairs where b_to_a > 0)
           select *, count(*) over () as edges_total from directed
           order by messages desc, source, target limit ?""",
        [limit, EDGE_LIMIT],
    )
    total = edges[0]["edges_total"] if edges else 0
    for e in edges:
        del e["edges_total"]
    return {"nodes": nodes, "edges": edges, "edges_total": total}


async def charts(db: Database) -> dict:
    """For each watched organization, its messages with each office by month (the office's
    count id, to open a month's messages); and each office's mail by month, sent and received
    with anyone outside it. Months run over the whole corpus's span, empty ones included."""
    rows = await _rows(
        db,
        "select office_contact_id as id, organization, official, month, total "
        "from office_contact_months order by month",
    )
    organizations: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        office = organizations.setdefault(r["organization"], {}).setdefault(
            r["official"], {"id": r["id"], "months": {}}
        )
        office["months"][r["month"]] = r["total"]
    offices: dict[str, dict[str, Any]] = {}
    for r in await _rows(
        db,
        """select o.id, o.official, c.month, c.direction, count(*) as n
           from offices o join counted_messages c on c.counted = o.id and c.recovered = 0
           where c.month is not null group by o.id, c.month, c.direction""",
    ):
        office = offices.setdefault(r["official"], {"id": r["id"], "sent": {}, "received": {}})
        office[r["direction"]][r["month"]] = r["n"]
    seen = {r["month"] for r in rows} | {
        m for o in offices.values() for way in ("sent", "received") for m in o[way]
    }
    return {
        "months": month_range(min(seen), max(seen)) if seen else [],  # gaps as empty bars
        "organizations": organizations,
        "offices": offices,
        "zone": await corpus_zone(db),
    }


async def missing(db: Database) -> dict[str, list[dict[str, Any]]]:
    """What the records lack (analysis/gaps.py, threads.py): each finding's rows, for the
    "What's missing" page. Tables an older corpus lacks give no rows."""
    tables = set(await db.table_names())

    async def rows_if(table: str, sql: str) -> list[dict[str, Any]]:
        return await _rows(db, sql, [LIST_LIMIT]) if table in tables else []

    return {
        "threads": await rows_if(
            "threads",
            "select id, subject, message_count, missing, first, last from threads "
            "where missing > 0 order by missing desc, message_count desc limit ?",
        ),
        "gaps": await rows_if(
            "bates_gaps",
            "select series, first_missing, last_missing, pages, after, before from bates_gaps "
            "order by series, first_missing limit ?",
        ),
        "productions": await rows_if(
            "productions",
            "select load_file, records, emails, attachments, not_email, not_read, "
            "missing_files, pages, images_missing, first_bates, last_bates from productions "
            "order by load_file limit ?",
        ),
        "silent": await rows_if(
            "silent_stretches",
            "select custodian, first_week, last_week, weeks, median_per_week "
            "from silent_stretches order by weeks desc, custodian limit ?",
        ),
        "withheld": (
            await rows_if(
                "pages",
                "select s.path, p.page, p.bates from pages p join sources s on s.id = p.source_id "
                "where p.withheld = 1 order by s.path, p.page limit ?",
            )
            # A corpus from before withheld pages were marked has no such column.
            if "pages" in tables and "withheld" in await db.table_columns("pages")
            else []
        ),
        "redactions": await rows_if(
            "redaction_diffs",
            "select message_id, release_a, release_b, codes_a, codes_b, shown_only_in_a, "
            "shown_only_in_b, coalesce(json_array_length(other), 0) as other_count "
            "from redaction_diffs order by message_id limit ?",
        ),
    }


async def story(db: Database, query: str | None = None) -> list[dict[str, Any]]:
    """Per watched organization, its office_contacts rows (the canonical table, as stored by
    the last analyze), offices by messages, most first. With a `query` (corpus/topic.py),
    every figure counts only the emails it matches: the same rows, fewer of them."""
    if "office_contacts" not in set(await db.table_names()):
        return []
    rows = await _rows(
        db,
        "select id, organization, official, org_to_office, office_to_org, total, first, last, "
        "recovered from office_contacts order by organization, total desc, official",
    )
    chosen = topic(query) if query else None
    if chosen:
        await _restrict(db, rows, chosen)
    with_offices, mail = await _organization_figures(db, chosen)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_org.setdefault(r["organization"], []).append(r)
    found = []
    for org, offices in by_org.items():
        all_mail = mail.get(org, 0)
        for o in offices:
            o["share"] = o["total"] / all_mail if all_mail else None
        found.append(
            {
                "organization": org,
                "offices": offices,
                "mail": all_mail,  # all the organization's mail with anyone outside it
                # of it, with any official's office, each once; and of those, undated
                "with_offices": with_offices.get(org, {}).get("n", 0),
                "undated": with_offices.get(org, {}).get("undated", 0),
                "recovered": sum(o["recovered"] or 0 for o in offices),
            }
        )
    return found


async def _organization_figures(db: Database, chosen: Topic | None) -> tuple[dict, dict]:
    """Per organization: its messages with any of the offices (each once, and how many have
    no date), and all its mail with anyone outside it; of a search's emails only when given
    one. Sent and received are disjoint (a message from the organization to anyone outside it,
    or to it from outside): their sum is its mail, each message once."""
    only, params = chosen.where("c.message_id") if chosen else ("1", [])
    with_offices = {
        r["organization"]: r
        for r in await _rows(
            db,
            f"""select o.organization, count(distinct c.message_id) as n,
                       count(distinct case when c.sent_at is null then c.message_id end)
                         as undated
                from office_contacts o join counted_messages c
                on c.counted = o.id and c.recovered = 0
                where {only} group by o.organization""",
            params,
            slow=True,  # every office's emails: over Datasette's second on a cold big corpus
        )
    }
    if chosen is None:
        sql = "select name, coalesce(sent, 0) + coalesce(received, 0) as n from organizations"
    else:
        sql = f"""select o.name, count(*) as n from organizations o join counted_messages c
                  on c.counted = o.id and c.recovered = 0
                  where c.direction in ('sent', 'received') and {only} group by o.name"""
    mail = {r["name"]: r["n"] for r in await _rows(db, sql, params, slow=chosen is not None)}
    return with_offices, mail


async def _restrict(db: Database, rows: list[dict[str, Any]], chosen: Topic) -> None:
    """The canonical table's figures again, of the emails a search matches only: from the
    stored counted_messages, as analyze counted them. No message row is read (a common word
    matches most of a corpus): first and last are the corpus-zone days of the earliest and
    latest instants, which are the earliest and latest days. Rows re-sorted by their totals."""
    ids = [r["id"] for r in rows]
    if not ids:
        return
    marks = ", ".join("?" * len(ids))
    only, params = chosen.where("c.message_id")
    counted = "case when c.recovered = 0 then c.message_id end"
    figures = {
        r["id"]: r
        for r in await _rows(
            db,
            f"""select c.counted as id,
                       count(distinct case when c.direction = 'org_to_office' then {counted}
                             end) as org_to_office,
                       count(distinct case when c.direction = 'office_to_org' then {counted}
                             end) as office_to_org,
                       count(distinct {counted}) as total,
                       min(case when c.recovered = 0 then c.sent_at end) as first,
                       max(case when c.recovered = 0 then c.sent_at end) as last,
                       count(distinct case when c.recovered = 1 then c.message_id end)
                         as recovered
                from counted_messages c
                where c.counted in ({marks}) and {only} group by c.counted""",
            [*ids, *params],
            slow=True,
        )
    }
    zone = ZoneInfo(await corpus_zone(db))
    zero = {"org_to_office": 0, "office_to_org": 0, "total": 0, "first": None, "last": None}
    for r in rows:
        found = figures.get(r["id"], {**zero, "recovered": 0})
        for end in ("first", "last"):
            if found[end]:
                found[end] = datetime.fromisoformat(found[end]).astimezone(zone).date().isoformat()
        r.update(found)
    rows.sort(key=lambda r: (r["organization"], -r["total"], r["official"]))


HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"  # snippet() marks: characters no email has
SEARCH_LIMIT = 100


async def search(db: Database, q: str) -> dict[str, Any]:
    """The emails a search matches (corpus/topic.py: what `report --query` and the story
    count), how many, and the first of them: emails whose subject or body holds what was
    searched, best matches first (FTS5's bm25), with a snippet whose matched words are
    between HIT_OPEN and HIT_CLOSE; and the attachments that hold it. Raises QueryError when
    the search has nothing to look for; a search past Datasette's time limit, or on a corpus
    without its search index, says so in `problem`. `cut`: words past SEARCH_TERMS unread."""
    chosen = topic(q)
    try:
        out = await _matches(db, chosen)
    except QueryInterrupted:
        out = {"problem": "The search took too long: try fewer words, or rarer ones."}
    except sqlite3.OperationalError as exc:  # a corpus without its search index
        out = {"problem": f"The search could not run: {exc}."}
    return {"messages": [], "attachments": [], "more": False, **out, "cut": cut(q)}


async def _matches(db: Database, chosen: Topic) -> dict[str, Any]:
    found = await _value(db, f"select count(*) from ({chosen.sql})", chosen.params, slow=True)
    # A word, or words joined by OR: what the index matches is the search; else (all of
    # several words, exclusions) the matches are kept to the emails the search finds.
    plain = isinstance(chosen.node, Term) or (
        isinstance(chosen.node, AnyOf) and all(isinstance(n, Term) for n in chosen.node.nodes)
    )
    only, params = ("1", []) if plain else chosen.where_rowid("m.rowid")
    ranked = fts_any(chosen.node)
    if ranked is None:  # only exclusions: no words to rank or mark, the newest first
        messages = await _rows(
            db,
            f"""select m.id, coalesce(m.sent_local, m.sent_at) as sent_at, m.subject,
                       m.from_name, m.from_address, m.recovered, null as snippet
                from messages m where {only} order by m.sent_at desc limit ?""",
            [*params, SEARCH_LIMIT + 1],
            slow=True,
        )
        return {
            "total": found,
            "messages": messages[:SEARCH_LIMIT],
            "attachments": [],
            "more": len(messages) > SEARCH_LIMIT,
        }
    messages = await _rows(
        db,
        f"""select m.id, coalesce(m.sent_local, m.sent_at) as sent_at, m.subject, m.from_name,
                   m.from_address, m.recovered,
                   snippet(messages_fts, -1, '{HIT_OPEN}', '{HIT_CLOSE}', '…', 20) as snippet
            from messages_fts join messages m on m.rowid = messages_fts.rowid
            where messages_fts match ? and {only} order by messages_fts.rank limit ?""",
        [ranked, *params, SEARCH_LIMIT + 1],
        slow=True,
    )
    attachments = await _rows(
        db,
        f"""select a.message_id as id, a.name, coalesce(m.sent_local, m.sent_at) as sent_at,
                   m.subject, m.from_name, m.from_address,
                   snippet(attachments_fts, -1, '{HIT_OPEN}', '{HIT_CLOSE}', '…', 20) as snippet
            from attachments_fts join attachments a on a.rowid = attachments_fts.rowid
            join messages m on m.id = a.message_id
            where attachments_fts match ? and {only} order by attachments_fts.rank limit ?""",
        [ranked, *params, SEARCH_LIMIT + 1],
        slow=True,
    )
    return {
        "total": found,  # every email the search matches
        "messages": messages[:SEARCH_LIMIT],
        "attachments": attachments[:SEARCH_LIMIT],
        "more": len(messages) > SEARCH_LIMIT or len(attachments) > SEARCH_LIMIT,
    }


async def choices(db: Database) -> dict[str, list[str]]:
    """What the canned queries' pickers offer: officials, organizations and named persons."""
    tables = set(await db.table_names())

    async def column(table: str, sql: str) -> list[str]:
        return [r[0] for r in await db.execute(sql)] if table in tables else []

    return {
        "official": await column("offices", "select official from offices order by official"),
        "organization": await column(
            "organizations", "select name from organizations order by name"
        ),
        "person": await column(
            "persons",
            "select name from persons where name is not null and name != '' "
            "order by (kind != 'other'), sent + received desc, name limit 2000",
        ),
    }


async def public_build(db: Database) -> dict | None:
    """What a public build says of itself (public/build.py), None for a working corpus."""
    if "public_build" not in set(await db.table_names()):
        return None
    rows = await _rows(db, "select * from public_build limit 1")
    return rows[0] if rows else None


async def corpus_zone(db: Database) -> str:
    """The corpus's time zone (corpus/timezone.py), UTC when none was named."""
    if "settings" not in set(await db.table_names()):
        return "UTC"
    row = (await db.execute("select value from settings where key = 'timezone'")).first()
    return row[0] if row else "UTC"


async def entities_pending(db: Database) -> int:
    """Emails whose names and organizations analyze has not read yet: it writes how many
    before it starts reading them (after the counts), and clears it when done."""
    if "settings" not in set(await db.table_names()):
        return 0
    row = (await db.execute("select value from settings where key = 'entities_pending'")).first()
    return int(row[0]) if row and row[0] and row[0].isdigit() else 0


EVIDENCE_SHOWN = 3  # emails linked per line of evidence; the rest through roster_evidence


async def roster(db: Database) -> list[dict[str, Any]]:
    """The stored roster next to what the corpus suggests around it (roster_proposals, from the
    last analyze): per official and organization, the roster's own people with what the corpus
    says of them, then the proposals, each with its evidence and the emails behind it."""
    tables = set(await db.table_names())
    if not {"roster_people", "roster_proposals", "roster_evidence"} <= tables:
        return []
    people = await _rows(
        db, "select name, kind, group_name, title, emails from roster_people order by rowid"
    )
    orgs = await _rows(db, "select name, domains from roster_organizations order by rowid")
    proposals = await _rows(db, "select * from roster_proposals order by confidence desc, name")
    evidence = await _rows(
        db,
        """select e.proposal_id, e.kind, e.detail, e.weight, e.message_id, m.sent_at, m.subject
           from roster_evidence e left join messages m on m.id = e.message_id
           order by e.rowid""",
    )
    lines: dict[str, dict[str, dict]] = {}
    for e in evidence:
        line = lines.setdefault(e["proposal_id"], {}).setdefault(
            e["detail"], {"detail": e["detail"], "kind": e["kind"], "emails": [], "count": 0}
        )
        if e["message_id"]:
            line["count"] += 1
            if len(line["emails"]) < EVIDENCE_SHOWN:
                line["emails"].append(e)
    for p in proposals:
        p["lines"] = list(lines.get(p["id"], {}).values())
    groups = [
        {"kind": "staff", "name": p["name"], "about": p["title"], "emails": p["emails"]}
        for p in people
        if p["kind"] == "official"
    ] + [{"kind": "member", "name": o["name"], "about": None, "emails": o["domains"]} for o in orgs]
    moved = {(p["kind"], p["name"]): p for p in proposals if p["status"] == "elsewhere"}
    for g in groups:
        mine = [p for p in proposals if p["group_name"] == g["name"] and p["kind"] == g["kind"]]
        listed = {p["name"]: p for p in mine if p["status"] == "listed" and not p["joins"]}
        g["rows"] = [
            {
                "name": p["name"],
                "emails": p["emails"],
                "in_roster": True,
                "p": listed.get(p["name"]),
                "elsewhere": moved.get((g["kind"], p["name"])),
            }
            for p in people
            if p["kind"] == g["kind"] and p["group_name"] == g["name"]
        ] + [
            {"name": p["name"], "emails": p["emails"], "in_roster": False, "p": p}
            for p in mine
            if p not in listed.values()
        ]
    return groups
