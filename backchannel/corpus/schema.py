"""The corpus tables, declared once: every table the commands write is declared here, but for
the public build's own (suppression_log, which it writes into the working corpus, and the public
copy's withheld and public_build: public/build.py). Incoming data never invents columns."""

from __future__ import annotations

import sqlite3
import weakref

import sqlite_utils

from .. import __version__
from .health import NotACorpus

# The graph's measures of a node (analysis/graph.py): persons, offices, organizations.
GRAPH_MEASURES = {
    "correspondents": int,  # distinct neighbours
    "betweenness": float,
    "pagerank": float,
    "community": int,  # Louvain, numbered by size
}

TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "id": str,
            "path": str,  # relative to the dump root; archive members as "a.zip!/b.eml"
            "parent_id": str,  # the archive it came from
            "sha256": str,
            "size": int,
            "format": str,
            "custodian": str,
            "status": str,  # done, error (unreadable: see errors)
            "messages_expected": int,  # what the container says it holds, where it can tell
            "messages_emitted": int,  # read and written (new + duplicates)
            "messages_new": int,
            "duplicates": int,
            "failed": int,  # messages that could not be read (errors rows)
            "warnings": int,  # messages read with a defect (errors rows, level warning)
            "items_skipped": int,  # not email: contacts, calendar entries, tasks, notes
            "skipped_kinds": str,  # JSON: {"contact": 2, "calendar": 1}
            "reader_version": int,  # of the format's reader that read it (ingest/formats.py)
            "custodian_rule": str,  # named, depth, layout, file name, folder (ingest/custodians.py)
            "file": str,  # the physical file (resolved path; "archive!/member"): one source each
            "ingest_run": str,  # the ingest run that first read it
            "first_ingested_at": str,
            "ingested_at": str,
        },
        "pk": "id",
        "not_null": {"path", "sha256", "format", "status"},
    },
    "messages": {
        "columns": {
            "id": str,  # derived from dedupe_key: stable across runs and productions
            "message_id": str,
            "dedupe_key": str,
            "subject": str,
            "sent_at": str,  # UTC, ISO 8601
            "sent_at_original": str,  # the Date header as written
            "sent_local": str,  # sent_at in the corpus's time zone (corpus/timezone.py)
            "local_zone": str,  # that zone
            "zone_read_in": str,  # a time printed without zone: the zone sent_at was read in
            "from_address": str,
            "from_name": str,
            "body": str,  # the whole text body
            "body_html": str,
            "body_source": str,  # text (a text/plain part) or html (made from the HTML part)
            "body_authored": str,  # filled by analyze (quoted history apart)
            "body_quoted": str,
            "signature": str,  # taken off body_authored, kept here
            "disclaimer": str,
            "split_method": str,  # how analyze split it: html, text or printed
            "recovered": int,  # 1: known only from quoted history in another email
            "thread_id": str,
            "in_reply_to": str,
            "reference_ids": str,  # References header, space separated
            "attachment_count": int,
            "headers": str,  # JSON list of [name, decoded value] of the first copy read
            "first_source_id": str,
            "ner_hash": str,  # set once NER has read body_authored
            "match_key": str,  # subject and start of text: finds copies without a Message-ID
            "content_key": str,  # sender, second, recipients, subject, body: one email filed
            # under several Message-IDs (corpus/keys.py content_key)
            "zone_known": int,  # 0: the time was printed without its zone and read as UTC
            "year": str,  # YYYY of sent_at, set by analyze: facets for Datasette
            "month": str,  # YYYY-MM of sent_at
        },
        "pk": "id",
        "not_null": {"dedupe_key"},
        "defaults": {"recovered": 0, "attachment_count": 0},
        "foreign_keys": [("first_source_id", "sources", "id")],
    },
    "message_copies": {
        "columns": {
            "id": str,
            "message_id": str,
            "source_id": str,
            "custodian": str,
            "custodian_rule": str,  # how the custodian was told; "header" for X-Origin
            "location": str,  # human-readable: "offset 1234, 567 bytes", "whole file", ...
            "offset": int,
            "length": int,
            "folder": str,
            "pages": str,  # PDF page range, "3-4"
            "bates": str,  # Bates range printed on those pages
            "document": str,  # the released document's number, from its stamps
            "note": str,  # why a printed email was read as one of its own (not quoted history)
            "text": str,  # a printed copy's own text (releases differ in what they redact)
            "method": str,  # rfc822, msg, pst, pdf-text, ocr, quoted, loadfile
            "found_in": str,  # for method quoted: the message whose quoted history held it
            # A production's record (ingest/productions/loadfile.py): its volume, the load
            # file's line, the native and text files it names, its page count (from the OPT).
            "volume": str,
            "line": int,
            "native_path": str,
            "text_path": str,
            "page_count": int,
        },
        "pk": "id",
        "foreign_keys": [("message_id", "messages", "id"), ("source_id", "sources", "id")],
    },
    "documents": {
        # Every record of a production's load file: the emails, their attachments, and what
        # is not email (listed and counted, never dropped). ingest/productions/loadfile.py.
        "columns": {
            "id": str,
            "source_id": str,  # the load file
            "line": int,  # where its record starts in the load file
            "doc_id": str,  # DOCID, Control Number...
            "bates_begin": str,
            "bates_end": str,
            "kind": str,  # email, attachment, not email, withheld
            "what": str,  # its type as the load file or its native tells (msg, xlsx, ...)
            "title": str,  # subject or file name
            "volume": str,
            "custodian": str,
            "parent": str,  # the family's parent document
            "page_count": int,
            "native_path": str,
            "text_path": str,
            "message_id": str,  # the message it is (an email) or is attached to
            "note": str,  # what was missing or said
            "fields": str,  # JSON [[name, value], ...]: the record as the load file writes it
        },
        "pk": "id",
        "foreign_keys": [("source_id", "sources", "id"), ("message_id", "messages", "id")],
    },
    "productions": {
        # What each load file says it holds, and what reading it found
        # (ingest/productions/loadfile.py).
        "columns": {
            "source_id": str,
            "load_file": str,
            "kind": str,  # concordance, delimited, opticon, ipro, privilege log
            "encoding": str,
            "delimiter": str,
            "quote": str,
            "fields": str,  # JSON: the header row as written
            "unknown_fields": str,  # JSON: fields the field table does not know
            "records": int,  # in the load file: the expected figure
            "emails": int,
            "attachments": int,
            "not_email": int,
            "not_read": int,
            "missing_files": int,  # natives and texts it names that the volume lacks
            "pages": int,  # in the image cross-reference: the expected figure
            "images": int,
            "images_missing": int,
            "image_file": str,
            "first_bates": str,
            "last_bates": str,
            "volumes": str,  # JSON list
        },
        "pk": "source_id",
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "participants": {
        "columns": {
            "message_id": str,
            "role": str,  # from, to, cc, bcc (counted); sender, reply-to, resent-* (kept)
            "key": str,  # the address, or "name:" + the name when only a name is known
            "address": str,
            "name": str,
            "printed": str,  # as printed, where OCR noise was cleaned off the address
            "alias": str,  # the Exchange alias (X.500 CN) the headers give for this mailbox
            "person_id": str,  # set by identity resolution
        },
        "pk": ("message_id", "role", "key"),
        "foreign_keys": [("message_id", "messages", "id")],
    },
    "attachments": {
        "columns": {
            "id": str,
            "message_id": str,
            "position": int,
            "name": str,
            "content_type": str,
            "size": int,
            "sha256": str,
            "text": str,
        },
        "pk": "id",
        "foreign_keys": [("message_id", "messages", "id")],
    },
    "redactions": {
        "columns": {
            "id": str,
            "message_id": str,
            "source_id": str,
            "page": int,
            "code": str,  # as printed: (b)(6), B6, B7(C), 1.4(D), ...
            "kind": str,  # redaction: printed over or beside a redaction; stamp: listed by a stamp
            "line": str,  # the line it was printed on, codes left out
            "doubtful": int,  # 1: printed where a code goes, but no code as printed (OCR?)
        },
        "pk": "id",
        "foreign_keys": [("message_id", "messages", "id"), ("source_id", "sources", "id")],
    },
    "threads": {
        "columns": {
            "id": str,  # the id of the thread's first message
            "subject": str,
            "first": str,
            "last": str,
            "message_count": int,
            "participant_count": int,
            "participants": str,  # JSON list of addresses (or names)
            "missing": int,  # emails its replies name that the corpus lacks (placeholders)
        },
        "pk": "id",
    },
    "missing_parents": {
        "columns": {
            "id": str,
            "message_id": str,  # the message that points at something not produced
            "missing": str,  # the Message-ID it names, or the recovered message's id
            "via": str,  # in-reply-to, references, quoted
        },
        "pk": "id",
        "foreign_keys": [("message_id", "messages", "id")],
    },
    "persons": {
        "columns": {
            "id": str,
            "name": str,
            "kind": str,  # official, staff, member (from the roster), other
            "roster_group": str,  # for officials and staff: whose office
            "organization": str,  # from the roster's people and domains
            "keys": str,  # JSON: the participant keys (addresses, "name:…") that are this person
            # Set by the counts stage (recovered emails left out) and the graph.
            "sent": int,
            "received": int,
            "first": str,
            "last": str,
            **GRAPH_MEASURES,
        },
        "pk": "id",
    },
    "person_keys": {
        "columns": {
            "id": str,
            "key": str,  # an address, or "name:" and a name seen without one
            "person_id": str,
            "rule": str,  # address, roster email, roster name, display name, name only, override
            "evidence": str,
        },
        "pk": "id",
        "foreign_keys": [("person_id", "persons", "id")],
    },
    "identity_overrides": {
        # The reporter's last overrides file, applied on every run until replaced.
        "columns": {"decision": str, "a": str, "b": str},  # same / different, two keys
        "pk": ("decision", "a", "b"),
    },
    "identity_suggestions": {
        "columns": {"id": str, "key": str, "person_id": str, "reason": str},
        "pk": "id",
        "foreign_keys": [("person_id", "persons", "id")],
    },
    "entities": {
        "columns": {
            "id": str,
            "label": str,  # spaCy's: PERSON, ORG, GPE, ...
            "text": str,  # canonical: the roster's name when linked, else the text trimmed
            "person_id": str,  # linked through the roster
            "organization": str,
        },
        "pk": "id",
        "foreign_keys": [("person_id", "persons", "id")],
    },
    "mentions": {
        "columns": {
            "id": str,
            "message_id": str,
            "entity_id": str,
            "start": int,  # character offsets into messages.body_authored
            "end": int,
            "text": str,  # as written
        },
        "pk": "id",
        "foreign_keys": [("message_id", "messages", "id"), ("entity_id", "entities", "id")],
    },
    "roster_people": {
        "columns": {
            "id": str,
            "name": str,
            "kind": str,  # official, staff, member
            "group_name": str,  # the official whose office they are in, or their organization
            "title": str,
            "emails": str,  # JSON lists
            "aliases": str,
            "nicknames": str,
        },
        "pk": "id",
    },
    "roster_organizations": {
        "columns": {"id": str, "name": str, "aliases": str, "domains": str},
        "pk": "id",
    },
    "roster_proposals": {
        # What the corpus suggests around the stored roster (analysis/roster_draft.py).
        "columns": {
            "id": str,
            "kind": str,  # staff, member
            "group_name": str,  # the official or the organization
            "name": str,
            "emails": str,  # JSON list
            "confidence": float,
            "status": str,  # entry, below, listed (the roster has them there), elsewhere
            "joins": str,  # an address proposed for this entry of the group
            "note": str,
            "evidence": str,  # one line per kind of evidence
            "messages": int,  # emails behind the evidence (roster_evidence)
        },
        "pk": "id",
    },
    "roster_evidence": {
        "columns": {
            "id": str,
            "proposal_id": str,
            "kind": str,  # signature, on behalf, forwarded, copied, domain, org signature, ...
            "detail": str,
            "weight": float,
            "message_id": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("proposal_id", "roster_proposals", "id"),
            ("message_id", "messages", "id"),
        ],
    },
    "bates_gaps": {
        # Bates numbers a production skipped: numbered, not released (analysis/gaps.py).
        "columns": {
            "id": str,
            "series": str,  # the Bates prefix ("LUSD", "STATE-SCB")
            "first_missing": str,
            "last_missing": str,
            "pages": int,
            "after": str,  # the number seen before the gap, with its file and page
            "before": str,  # the number seen after it
        },
        "pk": "id",
    },
    "redaction_diffs": {
        # One email in two releases: what each shows that the other redacted (analysis/gaps.py).
        "columns": {
            "id": str,
            "message_id": str,
            "copy_a": str,
            "copy_b": str,
            "release_a": str,  # file and pages
            "release_b": str,
            "codes_a": str,  # exemption codes printed on copy a's pages
            "codes_b": str,
            "shown_only_in_a": str,  # text a shows where b is redacted ("…" between passages)
            "shown_only_in_b": str,
            "other": str,  # JSON [[a, b], …]: differences that are not redactions
        },
        "pk": "id",
    },
    "silent_stretches": {
        # Weeks a busy mailbox is silent (analysis/gaps.py).
        "columns": {
            "id": str,
            "custodian": str,
            "first_week": str,  # Monday of the first empty week
            "last_week": str,
            "weeks": int,
            "median_per_week": float,  # emails in the mailbox's median week
        },
        "pk": "id",
    },
    "settings": {
        "columns": {"key": str, "value": str},  # timezone: the corpus's IANA zone
        "pk": "key",
    },
    "custodians": {
        # Rebuilt after every ingest: whose mailboxes the dump was read as.
        "columns": {
            "name": str,
            "rule": str,  # how the name was told (the commonest rule of its copies)
            "sources": int,
            "copies": int,
            "messages": int,
            "first": str,
            "last": str,
        },
        "pk": "name",
    },
    "ingest_runs": {
        "columns": {
            "id": str,
            "started_at": str,
            "paths": str,  # JSON: the paths it was given
            "files_new": int,  # files read for the first time
            "messages_new": int,
            "copies_of_known": int,  # copies of messages already in the corpus
        },
        "pk": "id",
    },
    "pages": {
        "columns": {
            "id": str,
            "source_id": str,
            "page": int,
            "method": str,  # pdf-text, ocr
            "ocr_confidence": float,  # tesseract's mean word confidence, 0-100
            "bates": str,
            "stamps": str,  # release stamps, case and document numbers printed on the page
            "chars": int,  # characters of text read, stamps and Bates numbers left out
            "withheld": int,  # 1: blacked out whole (mostly black by pixel count), no text
        },
        "pk": "id",
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "counted_messages": {
        # The link table behind every count: which messages a count counts. A count is
        # `select count(*) … where counted = ? and direction = ? and recovered = 0`.
        "columns": {
            "counted": str,  # a person, office, organization, contact, office contact or edge id
            "kind": str,  # person, office, organization, contact, office_contact, group_edge
            "direction": str,  # sent, received, a_to_b, b_to_a, org_to_office, office_to_org
            "message_id": str,
            "sent_at": str,
            "month": str,
            "recovered": int,  # 1: known only from quoted history; left out of the counts
        },
        "pk": ("counted", "direction", "message_id"),
        "foreign_keys": [("message_id", "messages", "id")],
    },
    "contacts": {
        "columns": {
            "id": str,
            "person_a": str,
            "person_b": str,
            "name_a": str,
            "name_b": str,
            "a_to_b": int,  # messages from a to b
            "b_to_a": int,
            "total": int,
            "first": str,
            "last": str,
            "recovered": int,  # emails recovered from quotes between them, not counted above
        },
        "pk": "id",
        "foreign_keys": [("person_a", "persons", "id"), ("person_b", "persons", "id")],
    },
    "offices": {
        "columns": {
            "id": str,
            "official": str,
            "person_id": str,
            "title": str,
            "members": str,  # JSON: the official and the staff seen in the corpus
            "sent": int,  # messages from the office to anyone outside it
            "received": int,
            "first": str,
            "last": str,
            **GRAPH_MEASURES,
        },
        "pk": "id",
        "foreign_keys": [("person_id", "persons", "id")],
    },
    "organizations": {
        "columns": {
            "id": str,
            "name": str,
            "aliases": str,
            "domains": str,
            "people": int,  # persons in the corpus who belong to it (roster or domain)
            "sent": int,
            "received": int,
            "first": str,
            "last": str,
            **GRAPH_MEASURES,
        },
        "pk": "id",
    },
    "office_contacts": {
        # The canonical table: each watched organization with each official's office.
        "columns": {
            "id": str,
            "organization": str,
            "official": str,
            "org_to_office": int,
            "office_to_org": int,
            "total": int,  # messages either way (a message is counted once)
            "first": str,
            "last": str,
            "busiest_months": str,
            "recovered": int,  # emails recovered from quotes between them, not counted above
        },
        "pk": "id",
    },
    "office_contact_months": {
        "columns": {
            "id": str,
            "office_contact_id": str,
            "organization": str,
            "official": str,
            "month": str,
            "org_to_office": int,
            "office_to_org": int,
            "total": int,
        },
        "pk": "id",
        "foreign_keys": [("office_contact_id", "office_contacts", "id")],
    },
    "group_edges": {
        # The collapsed graph: offices and organizations, persons outside them as themselves.
        "columns": {
            "id": str,
            "source": str,
            "target": str,
            "source_name": str,
            "target_name": str,
            "source_kind": str,
            "target_kind": str,
            "messages": int,
        },
        "pk": "id",
    },
    "errors": {
        "columns": {
            "id": str,
            "source_id": str,
            "source_path": str,
            "location": str,
            "stage": str,  # detect, archive, split, parse, header, date, charset, mime, ...
            "level": str,  # error: something was not read; warning: read, with a defect
            "reason": str,
            "message_id": str,  # for warnings: the message that was read
            "at": str,
        },
        "pk": "id",
        "foreign_keys": [("source_id", "sources", "id")],
    },
}

INDEXES = [
    ("sources", ["sha256"]),
    ("messages", ["sent_at"]),
    ("messages", ["message_id"]),
    ("messages", ["from_address"]),
    ("messages", ["match_key"]),
    ("message_copies", ["message_id"]),
    ("message_copies", ["source_id"]),
    ("participants", ["address"]),
    ("attachments", ["message_id"]),
    ("errors", ["source_id"]),
    ("redactions", ["message_id"]),
    ("pages", ["source_id"]),
    ("sources", ["file"]),
    ("messages", ["thread_id"]),
    ("messages", ["content_key"]),
    ("message_copies", ["found_in"]),
    ("missing_parents", ["message_id"]),
    ("participants", ["key"]),
    ("person_keys", ["person_id"]),
    ("participants", ["person_id"]),
    ("mentions", ["message_id"]),
    ("mentions", ["entity_id"]),
    ("contacts", ["person_a", "person_b"]),  # the network: pairs among the top persons
    ("contacts", ["person_b"]),
    ("counted_messages", ["message_id"]),  # the email page's "counted in"
    ("roster_evidence", ["proposal_id"]),
    ("documents", ["source_id"]),
    ("documents", ["message_id"]),
]

FTS = {"messages": ["subject", "body"], "attachments": ["name", "text"]}


def fts_triggers(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """The full-text index follows deletes, and updates of the indexed columns only (analyze
    rewrites other columns of every message: a trigger on any update would tokenize each body
    twice more). New rows are indexed by the writer in bulk, in the same transaction as the
    rows (`index_new_rows`): a crash can't leave them apart, and a batch's rows cost a seventh
    of what a trigger per row costs (measured on 30,000 messages). Older corpora's triggers
    are replaced."""
    fts = f"{table}_fts"
    cols = ", ".join(f"[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    wanted = {
        f"{table}_ad": f"create trigger [{table}_ad] after delete on [{table}] begin "
        f"insert into [{fts}] ([{fts}], rowid, {cols}) values ('delete', old.rowid, {old}); end",
        f"{table}_au": f"create trigger [{table}_au] after update of {cols} on [{table}] begin "
        f"insert into [{fts}] ([{fts}], rowid, {cols}) values ('delete', old.rowid, {old}); "
        f"insert into [{fts}] (rowid, {cols}) values (new.rowid, {new}); end",
    }
    have = {
        name: sql
        for name, sql in db.execute(
            "select name, sql from sqlite_master where type = 'trigger' and tbl_name = ?", [table]
        ).fetchall()
    }

    # SQLite keeps the text as given, but for its first words ("CREATE TRIGGER"): compared
    # without case, or every open would drop and make them again (a write, even for report).
    def same(a: str | None, b: str | None) -> bool:
        return (a or "").lower() == (b or "").lower()

    for name, sql in have.items():
        if name.startswith(f"{table}_a") and not same(wanted.get(name), sql):
            db.execute(f"drop trigger [{name}]")
    for name, sql in wanted.items():
        if not same(have.get(name), sql):
            db.execute(sql)


def index_new_rows(db: sqlite_utils.Database, table: str, after: int) -> None:
    """Index the rows of `table` added since rowid `after`, in one statement (see
    fts_triggers)."""
    columns = FTS.get(table)
    if columns:
        cols = ", ".join(f"[{c}]" for c in columns)
        db.execute(
            f"insert into [{table}_fts] (rowid, {cols}) select rowid, {cols} from [{table}] "
            "where rowid > ?",
            [after],
        )


# Databases this process has brought up to date: opening a corpus and starting its writer both
# ask, and the second asks nothing of SQLite.
_READY: weakref.WeakSet[sqlite_utils.Database] = weakref.WeakSet()


# The corpus's shape, numbered in SQLite's user_version. 0: backchannel 0.1.0, which set none;
# CHANGELOG.md says what each number added. An older corpus is brought up to date when opened
# (tables and columns added, nothing removed); a newer one is refused.
SCHEMA_VERSION = 1


class CorpusTooNew(NotACorpus):
    """The corpus was made by a newer backchannel than this one."""


def schema_version(db: sqlite_utils.Database | sqlite3.Connection) -> int:
    """The schema number the corpus was last brought up to (0: backchannel 0.1.0 or new)."""
    return int(db.execute("pragma user_version").fetchone()[0])


def refuse_newer(version: int, path: object = "the corpus") -> None:
    """CorpusTooNew when schema `version` is newer than this backchannel reads."""
    if version > SCHEMA_VERSION:
        raise CorpusTooNew(
            f"{path} was made by a newer backchannel (corpus schema {version}); this is "
            f"backchannel {__version__}, which reads schema {SCHEMA_VERSION} and older: upgrade "
            "backchannel, or open it with the version that made it"
        )


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing; never touch what exists. Safe to run at every start."""
    if db in _READY:
        return
    _ensure(db)
    _READY.add(db)


def _ensure(db: sqlite_utils.Database) -> None:
    version = schema_version(db)
    refuse_newer(version)
    existing = set(db.table_names())
    for name, spec in TABLES.items():
        if name in existing:
            # A corpus made by an earlier version: add the columns it lacks.
            have = set(db[name].columns_dict)
            for column, kind in spec["columns"].items():
                if column not in have:
                    db.table(name).add_column(column, kind)
            continue
        db.table(name).create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null"),
            defaults=spec.get("defaults"),
            foreign_keys=spec.get("foreign_keys"),
        )
    for table, columns in INDEXES:
        db.table(table).create_index(columns, if_not_exists=True)
    # Printed and quoted emails by time, for a printout redacted otherwise (writer.py): partial,
    # so that the mail with Message-IDs, most of a corpus, costs it nothing.
    db.execute(
        "create index if not exists idx_messages_keyless_sent on messages (sent_at) "
        "where message_id is null"
    )
    for table, columns in FTS.items():
        if not db.table(table).detect_fts():
            # unicode61 folds diacritics (a search for Ibanez finds Ibáñez), and costs less
            # than porter stemming, which would not help with names anyway.
            db.table(table).enable_fts(columns, create_triggers=False)
            # Merge index segments less eagerly: a third less indexing work on a big ingest,
            # queries barely slower (measured on 90,000 messages).
            db.execute(f"insert into [{table}_fts]([{table}_fts], rank) values ('automerge', 8)")
        fts_triggers(db, table, columns)
    if version < SCHEMA_VERSION:
        # An older corpus now has every table and column of this version (CHANGELOG.md).
        db.execute(f"pragma user_version = {SCHEMA_VERSION}")
