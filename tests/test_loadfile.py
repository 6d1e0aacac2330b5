"""Productions as load files: a Concordance DAT (or a CSV) with its natives, texts and Opticon
OPT, read as emails with their Bates numbers, custodians and families; what is not email
listed; gaps in the Bates numbers found; the same email met twice one message.

Every production here is built by the test (fictional people) in the shapes the tools write;
the shared fixtures' real productions are read in test_loadfile_shared.py."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, make_email, rows, run_cli, write_mbox

from backchannel.ingest.productions import delimited
from backchannel.ingest.productions.loadfields import role_of, roles
from backchannel.ingest.productions.loadfile import Entry, families

THORN, DC4, REG = "\u00fe", "\x14", "\u00ae"

HEADER = [
    "BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PARENT_DOCID", "CUSTODIAN", "FROM", "TO",
    "CC", "SUBJECT", "DATE SENT", "TIME SENT", "TIME ZONE", "RECORD TYPE", "FILE NAME",
    "TEXTPATH", "NATIVELINK", "Reviewer Note",
]  # fmt: skip


def record(**values: str) -> list[str]:
    """A record in HEADER's order, fields by their folded name."""
    key = {h: h.upper().replace(" ", "_") for h in HEADER}
    return [values.get(key[h], "") for h in HEADER]


def write_dat(
    path: Path,
    header: list[str],
    records: list[list[str]],
    encoding: str = "utf-8",
    bom: bool = False,
    quote: str | None = THORN,
    delimiter: str = DC4,
    newline: str = "\r\n",
) -> Path:
    """A load file as the tools write it: each field quoted, a header row, CRLF."""

    def line(values: list[str]) -> str:
        q = quote or ""
        return delimiter.join(f"{q}{v}{q}" for v in values)

    text = newline.join(line(r) for r in [header, *records]) + newline
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def ingest(folder: Path, db: Path, *extra: str) -> str:
    return run_cli("ingest", folder, "--db", db, *extra)


@pytest.fixture
def dump(tmp_path) -> Path:
    """The dump's folder; the corpus is made beside it (tmp_path / "c.db")."""
    return tmp_path / "dump"


def warnings(db: Path, like: str = "%") -> list[tuple]:
    return rows(
        db,
        "select location, reason from errors where level = 'warning' and reason like ? "
        "order by location, reason",
        [like],
    )


# -- encodings and delimiters -------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding,bom",
    [("utf-8", False), ("utf-8", True), ("cp1252", False), ("utf-16", False)],
    ids=str,
)
def test_encodings_of_a_concordance_dat(dump, tmp_path, encoding, bom):
    vol = dump / "VOL001"
    write(vol / "TEXT" / "LUSD000001.txt", "Can we talk before the vote?\n")
    dat = write_dat(
        vol / "DATA" / "VOL001.dat",
        HEADER,
        [
            record(
                BEGBATES="LUSD000001",
                ENDBATES="LUSD000002",
                CUSTODIAN="Whitfield, Dana",
                FROM="Rosa Ibáñez <rosa@bsn.example>",
                TO="Dana Whitfield <dana@district.example>",
                SUBJECT="Charter vote – Señora Ibáñez",
                DATE_SENT="03/04/2025",
                TIME_SENT="9:15 AM",
                TIME_ZONE="Pacific Standard Time",
                TEXTPATH=r"\VOL001\TEXT\LUSD000001.txt",
                REVIEWER_NOTE="Responsive",
            )
        ],
        encoding=encoding,
        bom=bom,
    )
    if encoding == "cp1252":
        assert b"\xfeLUSD000001\xfe\x14" in dat.read_bytes()  # þ is the one byte 0xFE
    db = tmp_path / "c.db"
    ingest(vol, db)
    assert rows(
        db,
        "select m.subject, m.from_name, m.from_address, m.sent_at, m.zone_known, m.body, "
        "c.bates, c.custodian, c.custodian_rule, c.volume, c.line, c.text_path, c.method "
        "from messages m join message_copies c on c.message_id = m.id",
    ) == [
        (
            "Charter vote – Señora Ibáñez",
            "Rosa Ibáñez",
            "rosa@bsn.example",
            "2025-03-04T17:15:00+00:00",  # 9:15 in Pacific Standard Time
            1,
            "Can we talk before the vote?",
            "LUSD000001 - LUSD000002",
            "Whitfield, Dana",
            "load file",
            "VOL001",
            2,
            "TEXT/LUSD000001.txt",
            "loadfile",
        )
    ]
    assert rows(db, "select role, name, address from participants order by role") == [
        ("from", "Rosa Ibáñez", "rosa@bsn.example"),
        ("to", "Dana Whitfield", "dana@district.example"),
    ]
    # A field the table does not know is kept in the message's headers.
    headers = json.loads(rows(db, "select headers from messages")[0][0])
    assert ["Reviewer Note (load file)", "Responsive"] in headers
    assert rows(db, "select encoding, records, emails from productions") == [
        ("utf-8-sig" if bom else encoding, 1, 1)
    ]


def test_newlines_written_as_registered_sign_and_a_trailing_semicolon(dump, tmp_path):
    header = ["DOCID", "From", "To", "Subject", "Sent Date/Time", "Extracted Text"]
    text = f"Dana,{REG}{REG}The numbers are attached.{REG}Rosa"
    write_dat(
        dump / "export.dat",
        header,
        [
            [
                "BSN-0001",
                "rosa@bsn.example",
                "dana@district.example; marcus.lee@district.example; ",
                "Numbers",
                "3/4/2025 9:15 AM",
                text,
            ]
        ],
    )
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select body from messages") == [("Dana,\n\nThe numbers are attached.\nRosa",)]
    assert rows(db, "select role, address from participants order by role, address") == [
        ("from", "rosa@bsn.example"),
        ("to", "dana@district.example"),
        ("to", "marcus.lee@district.example"),
    ]
    # No zone in the record: read as UTC, said, and read again in the corpus's zone later.
    assert rows(db, "select zone_known from messages") == [(0,)]
    assert warnings(db, "no time zone%") == [
        ("line 2 (BSN-0001)", "no time zone in the load file for '3/4/2025 9:15 AM'; read as UTC")
    ]


def test_a_csv_production(dump, tmp_path):
    lines = [
        "BegBates,EndBates,Custodian,From,To,CC,Subject,DateSent,TimeZone,TextPath",
        'CITY-0100,CITY-0101,"Okafor, Samuel",Samuel Okafor <sam@city.example>,'
        '"Lee, Marcus <marcus@city.example>",,"Budget, again",2025-05-02 14:03,-04:00,'
        "TEXT\\CITY-0100.txt",
        'CITY-0102,CITY-0102,"Okafor, Samuel",Marcus Lee <marcus@city.example>,'
        'sam@city.example,,"Re: Budget, again",2025-05-02 15:10,-04:00,TEXT\\CITY-0102.txt',
    ]
    write(dump / "PROD" / "load.csv", "\r\n".join(lines) + "\r\n")
    write(dump / "PROD" / "TEXT" / "CITY-0100.txt", "Numbers by Friday?\n")
    write(dump / "PROD" / "TEXT" / "CITY-0102.txt", "Yes.\n")
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db,
        "select c.bates, c.custodian, m.subject, m.sent_at, m.body from message_copies c "
        "join messages m on m.id = c.message_id order by c.line",
    ) == [
        ("CITY-0100 - CITY-0101", "Okafor, Samuel", "Budget, again",
         "2025-05-02T18:03:00+00:00", "Numbers by Friday?"),
        ("CITY-0102", "Okafor, Samuel", "Re: Budget, again",
         "2025-05-02T19:10:00+00:00", "Yes."),
    ]  # fmt: skip
    assert rows(
        db,
        "select p.address, p.name from participants p join messages m on m.id = p.message_id "
        "where p.role = 'to' and m.subject = 'Budget, again'",
    ) == [("marcus@city.example", "Lee, Marcus")]
    assert rows(db, "select kind, delimiter, quote, records from productions") == [
        ("delimited", ",", '"', 2)
    ]
    # The texts were read as the production's: never again as loose files.
    assert rows(db, "select path from sources") == [("PROD/load.csv",)]


def test_a_contacts_csv_is_not_a_production():
    assert not delimited.recognise(b"Name,Email,Phone\r\nRosa,rosa@bsn.example,555\r\n")
    assert delimited.recognise(b"Control Number|Custodian|Email From\r\nA1|Rosa|r@x\r\n")
    assert role_of("Parent Document ID") == role_of("PARENT_DOCID") == "parent"
    # "Email Subject" is the subject where a record has both.
    assert roles(["Subject", "Email Subject"])["subject"] == 1


# -- what each record becomes ---------------------------------------------------------------------
def test_missing_text_file_is_a_warning_naming_it(dump, tmp_path):
    write_dat(
        dump / "VOL.dat",
        HEADER,
        [
            record(
                BEGBATES="LUSD000010",
                FROM="rosa@bsn.example",
                TO="dana@district.example",
                SUBJECT="Agenda",
                DATE_SENT="2025-03-04 09:15",
                TIME_ZONE="UTC",
                TEXTPATH=r".\TEXT\LUSD000010.txt",
            )
        ],
    )
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select subject, body from messages") == [("Agenda", "")]
    assert warnings(db, "%not in the volume%") == [
        ("line 2 (LUSD000010)", r"its text .\TEXT\LUSD000010.txt is not in the volume")
    ]
    assert rows(db, "select kind, note from documents") == [
        ("email", r"its text .\TEXT\LUSD000010.txt is not in the volume")
    ]
    assert rows(db, "select missing_files from productions") == [(1,)]


def family_production(vol: Path) -> None:
    """An email with two attachments (a spreadsheet and a memo), then a document that is not
    email, then a second email; an OPT with LF line ends."""
    printed = (
        "From: Rosa Ibáñez\nSent: Tuesday, March 4, 2025 9:15 AM\nTo: Dana Whitfield\n"
        "Subject: Figures\n\nDana, both files attached.\n"
    )
    write(vol / "TEXT" / "ABC000001.txt", printed)
    write(vol / "TEXT" / "ABC000002.txt", "Enrollment\t2024\t2025\nNorth\t410\t432\n")
    write(vol / "TEXT" / "ABC000003.txt", "MEMO: charter renewal timeline\n")
    write(vol / "NATIVES" / "ABC000002.xlsx", b"PK\x03\x04 not really a workbook")
    write(vol / "TEXT" / "ABC000005.txt", "Budget workshop minutes\n")
    write(vol / "TEXT" / "ABC000009.txt", "Thanks, see you Thursday.\n")
    email = {
        "FROM": "Rosa Ibáñez <rosa@bsn.example>",
        "TO": "Dana Whitfield <dana@district.example>",
        "DATE_SENT": "03/04/2025 09:15",
        "TIME_ZONE": "-08:00",
        "CUSTODIAN": "Whitfield, Dana",
    }
    write_dat(
        vol / "VOL001.dat",
        HEADER,
        [
            record(BEGBATES="ABC000001", ENDBATES="ABC000001", BEGATTACH="ABC000001",
                   ENDATTACH="ABC000004", SUBJECT="Figures", RECORD_TYPE="Email",
                   TEXTPATH=r"VOL001\TEXT\ABC000001.txt", **email),
            record(BEGBATES="ABC000002", ENDBATES="ABC000003", BEGATTACH="ABC000001",
                   ENDATTACH="ABC000004", PARENT_DOCID="ABC000001", RECORD_TYPE="Attachment",
                   FILE_NAME="enrollment.xlsx", TEXTPATH=r"VOL001\TEXT\ABC000002.txt",
                   NATIVELINK=r"VOL001\NATIVES\ABC000002.xlsx", **email),
            record(BEGBATES="ABC000004", ENDBATES="ABC000004", BEGATTACH="ABC000001",
                   ENDATTACH="ABC000004", PARENT_DOCID="ABC000001", RECORD_TYPE="Attachment",
                   FILE_NAME="timeline.docx", TEXTPATH=r"VOL001\TEXT\ABC000003.txt"),
            record(BEGBATES="ABC000005", ENDBATES="ABC000006", RECORD_TYPE="E-Doc",
                   FILE_NAME="minutes.pdf", CUSTODIAN="Whitfield, Dana",
                   TEXTPATH=r"VOL001\TEXT\ABC000005.txt"),
            record(BEGBATES="ABC000009", ENDBATES="ABC000009", SUBJECT="Re: Figures",
                   RECORD_TYPE="Email", TEXTPATH=r"VOL001\TEXT\ABC000009.txt",
                   **{**email, "FROM": email["TO"], "TO": email["FROM"]}),
        ],
    )  # fmt: skip
    pages = [("ABC000001", "Y", "1"), ("ABC000002", "Y", "2"), ("ABC000003", "", ""),
             ("ABC000004", "Y", "1"), ("ABC000005", "Y", "2"), ("ABC000006", "", ""),
             ("ABC000009", "Y", "1")]  # fmt: skip
    opt = "".join(
        f"{key},VOL001,VOL001\\IMAGES\\{key}.tif,{first},,,{count}\n" for key, first, count in pages
    )
    write(vol / "VOL001.opt", opt)  # LF line ends
    for key, _, _ in pages:
        write(vol / "IMAGES" / f"{key}.tif", b"II*\x00")


def test_a_family_an_email_with_two_attachments_and_what_is_not_email(dump, tmp_path):
    vol = dump / "VOL001"
    family_production(vol)
    db = tmp_path / "c.db"
    out = ingest(dump, db)
    assert "not email               1   (pdf 1)" in out
    emails = rows(
        db,
        "select c.bates, c.page_count, m.subject, m.from_name, m.sent_at, m.body, "
        "m.attachment_count from message_copies c join messages m on m.id = c.message_id "
        "order by c.line",
    )
    assert emails == [
        ("ABC000001", 1, "Figures", "Rosa Ibáñez", "2025-03-04T17:15:00+00:00",
         "Dana, both files attached.", 2),
        ("ABC000009", 1, "Re: Figures", "Dana Whitfield", "2025-03-04T17:15:00+00:00",
         "Thanks, see you Thursday.", 0),
    ]  # fmt: skip
    assert rows(
        db,
        "select a.name, a.size, a.text from attachments a join messages m on m.id = a.message_id "
        "order by a.position",
    ) == [
        ("enrollment.xlsx", 26, "Enrollment\t2024\t2025\nNorth\t410\t432"),
        ("timeline.docx", 0, "MEMO: charter renewal timeline"),
    ]
    # The attachments' text is searchable with the email.
    found = rows(
        db,
        "select m.subject from attachments_fts f join attachments a on a.rowid = f.rowid "
        "join messages m on m.id = a.message_id where attachments_fts match 'charter'",
    )
    assert found == [("Figures",)]
    documents = rows(
        db,
        "select d.bates_begin, d.kind, d.what, d.parent, d.page_count, m.subject "
        "from documents d left join messages m on m.id = d.message_id order by d.line",
    )
    assert documents == [
        ("ABC000001", "email", "Email", None, 1, "Figures"),
        ("ABC000002", "attachment", "Attachment", "ABC000001", 2, "Figures"),
        ("ABC000004", "attachment", "Attachment", "ABC000001", 1, "Figures"),
        ("ABC000005", "not email", "E-Doc", None, 2, None),
        ("ABC000009", "email", "Email", None, 1, "Re: Figures"),
    ]
    assert rows(
        db,
        "select records, emails, attachments, not_email, pages, images, images_missing, "
        "first_bates, last_bates from productions",
    ) == [(5, 2, 2, 1, 7, 7, 0, "ABC000001", "ABC000009")]
    assert rows(db, "select items_skipped, skipped_kinds, messages_expected from sources") == [
        (1, '{"pdf": 1}', 2)
    ]
    # Natives, texts, the OPT and its page images are the production's, not loose files.
    assert rows(db, "select path, format from sources") == [("VOL001/VOL001.dat", "loadfile")]
    assert rows(db, "select count(*) from errors where level = 'error'") == [(0,)]


def test_bates_gaps_inside_a_production(dump, tmp_path):
    vol = dump / "VOL001"
    family_production(vol)
    db = tmp_path / "c.db"
    ingest(dump, db)
    out = run_cli("analyze", "--db", db)
    assert "Bates gaps                  1" in out
    # ABC000005-6 is not email but was produced: only 7 and 8 were numbered and not released.
    assert rows(db, "select series, first_missing, last_missing, pages, after, before "
                "from bates_gaps") == [
        ("ABC", "ABC000007", "ABC000008", 2, "ABC000006 (VOL001/VOL001.dat, line 5)",
         "ABC000009 (VOL001/VOL001.dat, line 6)"),
    ]  # fmt: skip


def test_a_native_email_is_the_truth_and_the_load_file_is_compared(dump, tmp_path):
    vol = dump / "VOL002"
    native = make_email(
        sender="Rosa Ibáñez <rosa@bsn.example>",
        to="Dana Whitfield <dana@district.example>",
        subject="Charter vote",
        body="Can we talk before Tuesday?\n",
        message_id="<a1@bsn.example>",
        attachments=[("notes.txt", "text/plain", b"talking points")],
    )
    write(vol / "NATIVES" / "0001" / "DEF0001.eml", native)
    write(vol / "TEXT" / "0001" / "DEF0001.txt", "an extracted text that is not read")
    header = ["DOCID", "Custodian", "Email From", "Email To", "Email Subject", "Date Sent",
              "Text Link", "Native Link", "Family ID", "Message ID"]  # fmt: skip
    write_dat(
        vol / "DATA" / "VOL002.dat",
        header,
        [["DEF0001", "Lee, Marcus", "Rosa Ibanez <rosa@bsn.example>", "dana@district.example",
          "Charter vote (draft)", "3/4/2025 5:15 PM", r"\VOL002\TEXT\0001\DEF0001.txt",
          r"\VOL002\NATIVES\0001\DEF0001.eml", "DEF0001", ""]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db,
        "select m.message_id, m.subject, m.body, m.attachment_count, c.method, c.bates, "
        "c.custodian, c.native_path from messages m join message_copies c on c.message_id = m.id",
    ) == [
        ("a1@bsn.example", "Charter vote", "Can we talk before Tuesday?", 1, "rfc822", "DEF0001",
         "Lee, Marcus", "VOL002/NATIVES/0001/DEF0001.eml"),
    ]  # fmt: skip
    # The record's subject disagrees with the native's; its date (no zone: 17:15 UTC read
    # for 09:15 -0800) and sender do not.
    assert warnings(db, "the load file%") == [
        ("line 2 (DEF0001)",
         "the load file gives the subject 'Charter vote (draft)', the native 'Charter vote'"),
    ]  # fmt: skip
    assert rows(db, "select path from sources") == [("VOL002/DATA/VOL002.dat",)]


def test_same_email_produced_twice_and_also_loose(dump, tmp_path):
    """Two custodians in one load file, a second volume, a loose .eml: one message, four
    copies, each with its own custodian and Bates number."""
    native = make_email(message_id="<twice@bsn.example>")
    for n, vol in enumerate(("VOL001", "VOL002"), start=1):
        write(dump / vol / "NATIVES" / "a.eml", native)
        records = [
            [f"V{n}-0001", "Whitfield, Dana", r"NATIVES\a.eml"],
            [f"V{n}-0002", "Lee, Marcus", r"NATIVES\a.eml"],
        ]
        write_dat(dump / vol / f"{vol}.dat", ["BEGBATES", "CUSTODIAN", "NATIVELINK"], records)
    write(dump / "loose" / "charter.eml", native)
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select count(*) from messages") == [(1,)]
    assert rows(
        db, "select custodian, custodian_rule, bates from message_copies order by bates"
    ) == [
        ("loose", "folder", None),
        ("Whitfield, Dana", "load file", "V1-0001"),
        ("Lee, Marcus", "load file", "V1-0002"),
        ("Whitfield, Dana", "load file", "V2-0001"),
        ("Lee, Marcus", "load file", "V2-0002"),
    ]
    # The reporter's --custodian is the one word above the load file's.
    ingest(dump, tmp_path / "named.db", "--custodian", "records-office")
    assert rows(tmp_path / "named.db", "select distinct custodian from message_copies") == [
        ("records-office",)
    ]


def test_a_production_beside_the_same_emails_as_an_mbox_counts_each_once(dump, tmp_path):
    mails = [
        make_email(subject="Charter vote", body="Can we talk before Tuesday?\n",
                   message_id="<m1@bsn.example>", date="Tue, 04 Mar 2025 09:15:00 -0800"),
        make_email(subject="Site visit", body="The school can host us on the 12th.\n",
                   message_id="<m2@bsn.example>", date="Wed, 05 Mar 2025 10:00:00 -0800"),
        make_email(subject="Budget lines", body="Line 14 moved to the spring.\n",
                   message_id="<m3@bsn.example>", date="Thu, 06 Mar 2025 16:30:00 -0800"),
    ]  # fmt: skip
    dump.mkdir()
    write_mbox(dump / "whitfield.mbox", mails)
    vol = dump / "PROD001"
    write(vol / "NATIVES" / "P1.eml", mails[0])  # a native: the same Message-ID
    printed = (
        "From: Rosa Ibáñez\nSent: Wednesday, March 5, 2025 10:00 AM\nTo: Dana Whitfield\n"
        "Subject: Site visit\n\nThe school can host us on the 12th.\n"
    )
    write(vol / "TEXT" / "P2.txt", printed)
    write(vol / "TEXT" / "P3.txt", "Line 14 moved to the spring.\n")
    header = ["BEGBATES", "CUSTODIAN", "FROM", "TO", "SUBJECT", "DATESENT", "TIMEZONE",
              "MESSAGE ID", "TEXTPATH", "NATIVELINK"]  # fmt: skip
    sender, to = "Rosa Ibáñez <rosa@bsn.example>", "Dana Whitfield <dana@district.example>"
    write_dat(
        vol / "PROD001.dat",
        header,
        [
            ["P1", "Whitfield, Dana", "", "", "", "", "", "", "", r"NATIVES\P1.eml"],
            # Its Message-ID in the record, its text with a printed header block.
            ["P2", "Whitfield, Dana", sender, to, "Site visit", "3/5/2025 10:00 AM",
             "America/Los_Angeles", "<m2@bsn.example>", r"TEXT\P2.txt", ""],
            # No Message-ID, a date without a zone: found by its sender, subject and text.
            ["P3", "Whitfield, Dana", sender, to, "Budget lines", "3/6/2025 4:30 PM", "", "",
             r"TEXT\P3.txt", ""],
        ],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db,
        "select m.subject, count(*), group_concat(c.method, ' ') from messages m "
        "join message_copies c on c.message_id = m.id group by m.id order by m.sent_at",
    ) == [
        ("Charter vote", 2, "rfc822 rfc822"),
        ("Site visit", 2, "rfc822 loadfile"),
        ("Budget lines", 2, "rfc822 loadfile"),
    ]
    run_cli("analyze", "--db", db)
    assert rows(
        db, "select a_to_b + b_to_a, total from contacts where name_a like 'Rosa%' "
        "or name_b like 'Rosa%'"
    ) == [(3, 3)]  # fmt: skip
    assert rows(db, "select sent from persons where keys like '%rosa@bsn.example%'") == [(3,)]


def test_a_privilege_log_lists_what_was_withheld(dump, tmp_path):
    write(
        dump / "privilege_log.csv",
        "Bates Begin,Date,Author,Recipient,Privilege Type,Description\r\n"
        "LUSD000200,3/4/2025,rosa@bsn.example,dana@district.example,Attorney-Client,"
        "Email re charter\r\n",
    )
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select count(*) from messages") == [(0,)]
    assert rows(db, "select bates_begin, kind from documents") == [("LUSD000200", "withheld")]
    assert rows(db, "select kind, records from productions") == [("privilege log", 1)]


def test_a_load_file_without_its_header_row_is_said_not_guessed(dump, tmp_path):
    write_dat(dump / "headless.dat", ["ABC01", "Rosa", "rosa@bsn.example"],
              [["ABC02", "Dana", "dana@district.example"]])  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select level, reason from errors") == [
        ("error", "no header row naming the fields: its 2 records were not read")
    ]
    assert rows(db, "select records, not_read from productions") == [(2, 2)]


def test_reading_again_adds_nothing(dump, tmp_path):
    vol = dump / "VOL001"
    family_production(vol)
    db = tmp_path / "c.db"
    ingest(dump, db)
    before = rows(db, "select count(*) from documents union all select count(*) from messages")
    out = ingest(dump, db)
    assert "already in the corpus, skipped: 1" in out
    assert rows(db, "select count(*) from documents union all select count(*) from messages") == (
        before
    )


def test_a_zipped_production_is_read_as_its_volume(dump, tmp_path):
    family_production(tmp_path / "unzipped" / "VOL001")
    dump.mkdir()
    with zipfile.ZipFile(dump / "PROD001.zip", "w") as zf:
        for file in sorted((tmp_path / "unzipped").rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(tmp_path / "unzipped").as_posix())
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select path from sources order by path") == [
        ("PROD001.zip",),
        ("PROD001.zip!/VOL001/VOL001.dat",),
    ]
    assert rows(
        db, "select c.bates, c.page_count, m.attachment_count from message_copies c "
        "join messages m on m.id = c.message_id order by c.line"
    ) == [("ABC000001", 1, 2), ("ABC000009", 1, 0)]  # fmt: skip
    assert rows(db, "select native_path from documents where native_path is not null") == [
        ("PROD001.zip!/VOL001/NATIVES/ABC000002.xlsx",)
    ]
    assert rows(db, "select count(*) from errors") == [(0,)]


def test_a_zipped_production_with_a_member_where_a_folder_goes(dump, tmp_path):
    """A member named like a folder other members are in ("VOL001/IMAGES" before
    "VOL001/IMAGES/ABC000001.tif"): an error naming it, the production read all the same (it
    once cost the whole archive)."""
    family_production(tmp_path / "unzipped" / "VOL001")
    dump.mkdir()
    with zipfile.ZipFile(dump / "PROD001.zip", "w") as zf:
        zf.writestr("VOL001/IMAGES", b"a file where a folder goes")
        for file in sorted((tmp_path / "unzipped").rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(tmp_path / "unzipped").as_posix())
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select c.bates from message_copies c order by c.line") == [
        ("ABC000001",),
        ("ABC000009",),
    ]
    errors = rows(db, "select source_path, location from errors where level = 'error'")
    assert sorted(errors)[:2] == [
        ("PROD001.zip", "member 'VOL001/IMAGES/ABC000001.tif'"),
        ("PROD001.zip", "member 'VOL001/IMAGES/ABC000002.tif'"),
    ]
    assert ("PROD001.zip!/VOL001/IMAGES", "") in errors  # read as a file: not email


def test_a_zipped_production_with_two_members_of_one_name(dump, tmp_path):
    """Two members of one name (an archive appended to): both read, as a zip's members
    always are, each under its own sha256 (the second once overwrote the first)."""
    family_production(tmp_path / "unzipped" / "VOL001")
    dump.mkdir()
    first = make_email(subject="First", message_id="<first@bsn.example>")
    second = make_email(subject="Second", message_id="<second@bsn.example>")
    with zipfile.ZipFile(dump / "PROD001.zip", "w") as zf:
        for file in sorted((tmp_path / "unzipped").rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(tmp_path / "unzipped").as_posix())
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("loose/note.eml", first)
            zf.writestr("loose/note.eml", second)
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db, "select m.subject, s.sha256 = ? from messages m join message_copies c "
        "on c.message_id = m.id join sources s on s.id = c.source_id "
        "where s.path like '%note.eml' order by m.subject",
        [hashlib.sha256(first).hexdigest()],
    ) == [("First", 1), ("Second", 0)]  # fmt: skip


def test_a_summation_dii_production(dump, tmp_path):
    write(dump / "VOL003" / "NATIVES" / "GHI0001.eml", make_email(message_id="<dii@bsn.example>"))
    write(dump / "VOL003" / "TEXT" / "GHI0003.txt", "Minutes of the March workshop.\n")
    for n in (1, 2, 3):
        write(dump / "VOL003" / "IMAGES" / "001" / f"GHI000{n}.tif", b"II*\x00")
    dii = "\r\n".join(
        [
            "; Summation load file",
            "@T GHI0001",
            "@C ENDDOC# GHI0002",
            "@C CUSTODIAN Whitfield, Dana",
            "@EMAIL-BEGIN",
            "@FROM Rosa Ibáñez <rosa@bsn.example>",
            "@TO Dana Whitfield <dana@district.example>",
            "@SUBJECT Charter vote",
            "@DATESENT 03/04/2025",
            "@TIMESENT 09:15 AM",
            "@EMAIL-END",
            r"@EDOC \VOL003\NATIVES\GHI0001.eml",
            r"@D @I\VOL003\IMAGES\001\\",
            "GHI0001.tif",
            "GHI0002.tif",
            "@T GHI0003",
            "@C CUSTODIAN Whitfield, Dana",
            "@MEDIA eDoc",
            r"@O \VOL003\TEXT\GHI0003.txt",
            r"@D @I\VOL003\IMAGES\001\\",
            "GHI0003.tif",
        ]
    )
    write(dump / "VOL003" / "VOL003.dii", dii + "\r\n")
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db,
        "select m.message_id, c.bates, c.custodian, c.page_count from message_copies c "
        "join messages m on m.id = c.message_id",
    ) == [("dii@bsn.example", "GHI0001 - GHI0002", "Whitfield, Dana", 2)]
    assert rows(db, "select bates_begin, kind, page_count from documents order by line") == [
        ("GHI0001", "email", 2),
        ("GHI0003", "not email", 1),
    ]
    assert rows(db, "select kind, records, pages from productions") == [("summation", 2, 3)]
    assert rows(db, "select path from sources") == [("VOL003/VOL003.dii",)]


def entry(line: int, **values: str) -> Entry:
    return Entry(line, list(values.items()), values)


@pytest.mark.parametrize(
    "link",
    [
        {"parent": "A1"},  # PARENT_DOCID
        {"attach_begin": "A1"},  # BEGATTACH: the family's first Bates number
        {"group": "A1"},  # a family id that is the parent's
        {},  # ATTACH_DOCID on the parent alone
    ],
    ids=["parent", "begattach", "group", "attach_docid"],
)
def test_families_by_each_kind_of_link(link):
    head = entry(2, bates_begin="A1", children="A2; A3", attach_begin="A1")
    kids = [entry(3, bates_begin="A2", **link), entry(4, bates_begin="A3", **link)]
    alone = entry(5, bates_begin="A4", attach_begin="A4")
    got = [[e.line for e in f] for f in families(iter([head, *kids, alone]))]
    assert got == [[2, 3, 4], [5]]


def test_a_record_whose_parent_is_elsewhere_starts_its_own_family_and_says_so(dump, tmp_path):
    header = ["BEGBATES", "PARENT_DOCID", "RECORD TYPE", "FILE NAME"]
    write_dat(
        dump / "VOL.dat",
        header,
        [
            ["X1", "", "E-Doc", "a.pdf"],
            ["X2", "X9", "Attachment", "b.pdf"],  # X9 is not in the load file
        ],
    )
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select bates_begin, kind, parent, note from documents order by line") == [
        ("X1", "not email", None, None),
        ("X2", "not email", "X9", "its parent X9 is not in this load file"),
    ]


def test_field_names_told_by_their_words(dump, tmp_path):
    """A Relativity export's names, none in the table as written: "Sent Date (UTC)" says both
    what the field is and its zone."""
    header = ["Production::Begin Bates", "Production::End Bates", "Custodian - All",
              "Email From (SMTP Address)", "Email To (SMTP Address)", "Email Subject",
              "Sent Date (UTC)", "Extracted Text"]  # fmt: skip
    write_dat(
        dump / "export.dat",
        header,
        [["REL-001", "REL-002", "Lee", "rosa@bsn.example", "dana@district.example", "Vote",
          "2025-03-04 17:15:00", "See you there."]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select c.bates, m.sent_at, m.zone_known, m.from_address, m.body "
                "from messages m join message_copies c on c.message_id = m.id") == [
        ("REL-001 - REL-002", "2025-03-04T17:15:00+00:00", 1, "rosa@bsn.example",
         "See you there."),
    ]  # fmt: skip
    headers = json.loads(rows(db, "select headers from messages")[0][0])
    assert ["Custodian - All (load file)", "Lee"] in headers


def test_whats_missing_shows_the_productions_figures_and_their_gaps(dump, tmp_path):
    from datasette.app import Datasette

    from backchannel.publish import metadata_for

    family_production(dump / "VOL001")
    db = tmp_path / "c.db"
    ingest(dump, db)
    run_cli("analyze", "--db", db)
    ds = Datasette([str(db)], immutables=[], metadata=metadata_for("c"))
    page = asyncio.run(ds.client.get("/-/missing/c"))
    assert page.status_code == 200
    html = unescape(page.text)
    assert "Productions: what each load file lists" in html
    assert "<td>VOL001/VOL001.dat</td><td>5</td><td>2</td><td>2</td><td>1</td><td>0</td>" in html
    assert "ABC000001 to ABC000009" in html
    assert "ABC000007 to ABC000008" in html  # the gap


def test_an_ipro_lfp_beside_the_load_file_gives_page_counts(dump, tmp_path):
    write(dump / "VOL009" / "TEXT" / "JKL0001.txt", "See the attached schedule.\n")
    write_dat(
        dump / "VOL009" / "VOL009.dat",
        ["BEGDOC", "ENDDOC", "FROM", "TO", "SUBJECT", "DATESENT", "TEXTPATH"],
        [
            ["JKL0001", "JKL0003", "rosa@bsn.example", "dana@district.example", "Schedule",
             "2025-03-04 09:15", r"TEXT\JKL0001.txt"],
            ["JKL0004", "JKL0004", "", "", "", "", ""],
        ],
    )  # fmt: skip
    lfp = [
        "IM,JKL0001,D,0,@VOL009;IMAGES\\001;JKL0001.TIF;2",
        "IM,JKL0002,,0,@VOL009;IMAGES\\001;JKL0002.TIF;2",
        "IM,JKL0003,,0,@VOL009;IMAGES\\001;JKL0003.TIF;2",
        "IM,JKL0004,D,0,@VOL009;IMAGES\\001;JKL0004.TIF;2",
    ]
    write(dump / "VOL009" / "VOL009.lfp", "\r\n".join(lfp) + "\r\n")
    for n in (1, 2, 3):  # JKL0004's image is missing
        write(dump / "VOL009" / "IMAGES" / "001" / f"JKL000{n}.TIF", b"II*\x00")
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select bates, page_count, volume from message_copies") == [
        ("JKL0001 - JKL0003", 3, "VOL009")
    ]
    assert rows(db, "select pages, images, images_missing, image_file from productions") == [
        (4, 3, 1, "VOL009/VOL009.lfp")
    ]
    assert warnings(db, "%page images%") == [
        ("VOL009/VOL009.lfp", "1 page images the cross-reference names are not in the volume")
    ]
    assert rows(db, "select path from sources") == [("VOL009/VOL009.dat",)]


def test_an_address_is_taken_from_the_field_that_gives_one(dump, tmp_path):
    header = ["DOCID", "Email From", "From (SMTP Address)", "Email To", "To (SMTP Address)",
              "Email Subject", "Subject", "Communication Date"]  # fmt: skip
    write_dat(
        dump / "nuix.dat",
        header,
        [["N-1", "Rosa Ibáñez", "rosa@bsn.example", "Whitfield, Dana", "dana@district.example",
          "", "Charter vote", "Monday, 3 March 2025 at 17:15:00 Greenwich Mean Time"]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select subject, sent_at, zone_known from messages") == [
        ("Charter vote", "2025-03-03T17:15:00+00:00", 1)
    ]
    assert rows(db, "select role, name, address from participants order by role") == [
        ("from", "Rosa Ibáñez", "rosa@bsn.example"),
        ("to", None, "dana@district.example"),
    ]


def test_a_damaged_native_leaves_the_record_to_its_fields(dump, tmp_path):
    write(dump / "NATIVES" / "D1.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    write(dump / "TEXT" / "D1.txt", "The agenda, as promised.\n")
    write_dat(
        dump / "VOL.dat",
        ["BEGBATES", "FROM", "TO", "SUBJECT", "DATESENT", "TEXTPATH", "NATIVEPATH"],
        [["D1", "rosa@bsn.example", "dana@district.example", "Agenda", "2025-03-04 09:15",
          r"TEXT\D1.txt", r"NATIVES\D1.msg"]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select m.subject, m.body, c.method from messages m "
                "join message_copies c on c.message_id = m.id") == [
        ("Agenda", "The agenda, as promised.", "loadfile")
    ]  # fmt: skip
    (reason,) = [r for _, r in warnings(db, "its native could not be read%")]
    assert "not a readable Outlook .msg" in reason


def test_odd_fields_are_warnings_and_every_record_is_read(dump, tmp_path):
    """A zone that is a folder of zones, .NET's empty date in a zone east of UTC (and the last
    date west of it), counts in digits int() refuses or SQLite cannot hold: each record is
    read and said, the records after it too (these once ended the load file, or its batch)."""
    write_dat(
        dump / "VOL.dat",
        ["BEGBATES", "FROM", "TO", "SUBJECT", "DATE SENT", "TIME ZONE", "RECORD TYPE",
         "PAGE COUNT", "FILE SIZE", "PARENT_DOCID"],
        [["Z1", "rosa@bsn.example", "dana@district.example", "Zone folder",
          "03/04/2025 9:15 AM", "America/Indiana", "Email", "", "", ""],
         ["Z2", "rosa@bsn.example", "dana@district.example", "Empty date",
          "01/01/0001 12:00 AM", "W. Europe Standard Time", "Email", "1", "", ""],
         ["Z3", "rosa@bsn.example", "dana@district.example", "Last date",
          "12/31/9999 11:59 PM", "-05:00", "Email", "9" * 25, "", ""],
         ["Z4", "", "", "", "", "", "Attachment", "\u00b3", "\u00b2", "Z3"],
         ["Z5", "rosa@bsn.example", "dana@district.example", "After them",
          "03/05/2025 10:00 AM", "UTC", "Email", "2", "", ""]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select location, reason from errors where level = 'error'") == []
    assert rows(db, "select line, kind, page_count from documents order by line") == [
        (2, "email", None), (3, "email", 1), (4, "email", None), (5, "attachment", None),
        (6, "email", 2),
    ]  # fmt: skip
    assert rows(db, "select subject, sent_at from messages order by subject") == [
        ("After them", "2025-03-05T10:00:00+00:00"),
        ("Empty date", None),
        ("Last date", None),
        ("Zone folder", "2025-03-04T09:15:00+00:00"),  # no zone known: read as UTC, said
    ]
    said = " ".join(reason for _, reason in warnings(db, "%"))
    assert "'America/Indiana'" in said and "'01/01/0001 12:00 AM'" in said


def printed_pdf(path: Path, bates: str, subject: str) -> Path:
    """A printout of one email (fpdf2, sample/printout.py), its Bates number stamped."""
    printout = pytest.importorskip("printout", reason="fpdf2 renders the test PDFs")
    lines = [
        "From: Lee, Marcus <marcus.lee@district.example>",
        "Sent: Tuesday, March 4, 2025 9:15 AM",
        "To: Rosa Ibanez <rosa@bsn.example>",
        f"Subject: {subject}",
        "",
        "Thanks Rosa, the board office has the petition.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    return printout.text_pdf([printout.Page(lines=lines, bates=bates)], path)


@pytest.fixture
def printout_module():
    sys.path.insert(0, str(ROOT / "sample"))
    yield
    sys.path.remove(str(ROOT / "sample"))


def test_mail_a_load_file_only_names_is_read_by_the_walk(dump, tmp_path, printout_module):
    """An index of printouts (Bates, custodian, PDF path) and of a mailbox (an mbox named as a
    native), an image cross-reference of printouts with no load file beside it: their emails
    are read as the walk reads them, each once; the records are listed. (They were left to
    the load file, which only lists them: no email of theirs was read.) A PDF whose record the
    load file makes an email of is its image, read by the load file alone."""
    vol = dump / "VOL001"
    printed_pdf(vol / "PDF" / "DIST-0001.pdf", "DIST-0001", "Petition")
    printed_pdf(vol / "PDF" / "DIST-0002.pdf", "DIST-0002", "Petition, again")
    write(vol / "TEXT" / "DIST-0002.txt", "Thanks Rosa, the board office has the petition.\n")
    mails = [make_email(subject=f"Boxed {n}", message_id=f"<box{n}@bsn.example>") for n in (1, 2)]
    (vol / "NATIVES").mkdir()
    write_mbox(vol / "NATIVES" / "whitfield.mbox", mails)
    write_dat(
        vol / "VOL001.dat",
        ["BEGBATES", "ENDBATES", "CUSTODIAN", "FROM", "TO", "SUBJECT", "DATE SENT", "TEXTPATH",
         "NATIVE PATH", "PDFPATH", "RECORD TYPE"],
        [["DIST-0001", "DIST-0001", "Lee, Marcus", "", "", "", "", "", "",
          r"PDF\DIST-0001.pdf", ""],
         ["DIST-0002", "DIST-0002", "Lee, Marcus", "marcus.lee@district.example",
          "rosa@bsn.example", "Petition, again", "03/04/2025 09:15 AM", r"TEXT\DIST-0002.txt",
          "", r"PDF\DIST-0002.pdf", ""],
         # A mailbox file its tool calls an email: the emails in it are the walk's to read.
         ["DIST-0003", "DIST-0003", "Whitfield, Dana", "", "", "", "", "",
          r"NATIVES\whitfield.mbox", "", "Email"]],
    )  # fmt: skip
    alone = dump / "VOL002"
    printed_pdf(alone / "IMAGES" / "DIST-0101.pdf", "DIST-0101", "Site visit")
    write(alone / "VOL002.opt", "DIST-0101,VOL002,IMAGES\\DIST-0101.pdf,Y,,,1\n")
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(
        db, "select m.subject, c.method from messages m join message_copies c "
        "on c.message_id = m.id order by m.subject"
    ) == [
        ("Boxed 1", "rfc822"), ("Boxed 2", "rfc822"), ("Petition", "pdf-text"),
        ("Petition, again", "loadfile"), ("Site visit", "pdf-text"),
    ]  # fmt: skip
    assert rows(db, "select bates_begin, kind from documents order by bates_begin") == [
        ("DIST-0001", "not email"), ("DIST-0002", "email"), ("DIST-0003", "not email"),
        ("DIST-0101", "not email"),
    ]  # fmt: skip


def test_a_path_is_found_by_its_folder_and_name_never_its_name_alone(dump, tmp_path):
    """The DAT names NATIVES\\P1.eml; the volume has no such file, but the load file's folder
    has another P1.eml (a loose email of that name): not the record's native."""
    write(dump / "P1.eml", make_email(subject="Not the native", message_id="<other@x>"))
    write_dat(
        dump / "VOL.dat",
        ["BEGBATES", "FROM", "TO", "SUBJECT", "NATIVELINK"],
        [["P1", "rosa@bsn.example", "dana@district.example", "The record", r"NATIVES\P1.eml"]],
    )
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select m.subject, c.method from messages m join message_copies c "
                "on c.message_id = m.id order by 1") == [
        ("Not the native", "rfc822"), ("The record", "loadfile"),
    ]  # fmt: skip
    assert warnings(db, "%not in the volume") == [
        ("line 2 (P1)", r"its native NATIVES\P1.eml is not in the volume")
    ]


def test_a_later_production_copy_adds_no_one_to_a_message_already_in(dump, tmp_path):
    """The email is in an mbox read first; the production's record of it (fields and text)
    spells its people otherwise, with a name alone and a Cc the sender's copy does not show,
    its text a printed header block: a copy, adding no participant (as a printout's would
    not). The printed block fills what the fields lack, never repeats what they give."""
    mail = make_email(
        subject="Site visit",
        body="The school can host us on the 12th.\n",
        message_id="<m2@bsn.example>",
        date="Wed, 05 Mar 2025 10:00:00 -0800",
    )
    dump.mkdir()
    write_mbox(dump / "a.mbox", [mail])
    printed = (
        "From: Rosa Ibáñez\nSent: Wednesday, March 5, 2025 10:00 AM\nTo: Dana Whitfield\n"
        "Cc: Kevin Doyle\nSubject: Site visit\n\nThe school can host us on the 12th.\n"
    )
    write(dump / "z" / "TEXT" / "P2.txt", printed)
    write_dat(
        dump / "z" / "PROD.dat",
        ["BEGBATES", "FROM", "TO", "SUBJECT", "DATESENT", "TIMEZONE", "TEXTPATH"],
        [["P2", "Ibanez, Rosa", "rosa@bsn.example; Whitfield, Dana", "Site visit",
          "3/5/2025 10:00 AM", "America/Los_Angeles", r"TEXT\P2.txt"]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    assert rows(db, "select group_concat(c.method, ' ') from message_copies c") == [
        ("rfc822 loadfile",)
    ]
    assert rows(db, "select role, name, address from participants order by role") == [
        ("from", "Rosa Ibáñez", "rosa@bsn.example"),
        ("to", "Dana Whitfield", "dana@district.example"),
    ]
    # Read alone, the record gives its own fields' people, and the printed Cc they lack.
    ingest(dump / "z", tmp_path / "alone.db")
    assert rows(tmp_path / "alone.db", "select role, name, address from participants "
                "order by role, name") == [
        ("cc", "Kevin Doyle", None), ("from", "Ibanez, Rosa", None),
        ("to", None, "rosa@bsn.example"), ("to", "Whitfield, Dana", None),
    ]  # fmt: skip


def test_a_document_whose_end_is_not_known_leaves_no_gap_after_it(dump, tmp_path):
    """A record with a first Bates number only, no end and no page count: how far it reaches
    is not known, so the numbers up to the next document are not called missing."""
    write_dat(
        dump / "VOL.dat",
        ["BEGBATES", "ENDBATES", "RECORD TYPE"],
        [["ABC000001", "ABC000002", "E-Doc"], ["ABC000003", "", "E-Doc"],
         ["ABC000010", "ABC000010", "E-Doc"], ["ABC000014", "ABC000015", "E-Doc"]],
    )  # fmt: skip
    db = tmp_path / "c.db"
    ingest(dump, db)
    run_cli("analyze", "--db", db)
    assert rows(db, "select first_missing, last_missing, pages from bates_gaps") == [
        ("ABC000011", "ABC000013", 3)
    ]
