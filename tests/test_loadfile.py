"""Productions as load files: a Concordance DAT (or a CSV) with its natives, texts and Opticon
OPT, read as emails with their Bates numbers, custodians and families; what is not email
listed; gaps in the Bates numbers found; the same email met twice one message.

Every production here is built by the test (fictional people) in the shapes the tools write;
the shared fixtures' real productions are read in test_loadfile_shared.py."""

from __future__ import annotations

import asyncio
import json
import zipfile
from html import unescape
from pathlib import Path

import pytest
from conftest import make_email, rows, run_cli, write_mbox

from backchannel.ingest import delimited
from backchannel.ingest.loadfields import role_of, roles
from backchannel.ingest.loadfile import Entry, families

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
