"""The owners' real productions (../shared/fixtures/load-files): two Nuix exports (UTF-8 and
cp1252) and Relativity's import samples, read whole. What each record should become is read
from the DATs here with a parser of the test's own (split at the delimiter), never from the
reader's output."""

from __future__ import annotations

import json
from email.utils import parseaddr

import pytest
from conftest import rows, run_cli

SAMPLES = "relativity-samples/SampleDataSources"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from conftest import SHARED_FIXTURES

    folder = SHARED_FIXTURES / "load-files"
    if not folder.is_dir():
        pytest.skip(f"the owners' load-file productions are not at {folder}")
    db = tmp_path_factory.mktemp("loadfiles") / "c.db"
    run_cli("ingest", folder, "--db", db)
    return db


def dat_records(name: str) -> list[dict[str, str]]:
    """A pipe-delimited sample DAT with its header row, read plainly."""
    from conftest import SHARED_FIXTURES

    text = (SHARED_FIXTURES / "load-files" / SAMPLES / name).read_bytes().decode("utf-8-sig")
    lines = [line for line in text.split("\r\n") if line]
    header = lines[0].split("|")
    return [dict(zip(header, line.split("|"), strict=True)) for line in lines[1:]]


def test_every_email_record_is_a_message_with_its_record(corpus):
    from conftest import SHARED_FIXTURES

    records = dat_records("load_file_01.dat")
    assert len(records) == 4
    for r in records:
        if r["FILE_PATH"].endswith(".msg"):
            continue  # its native is the truth: below
        got = rows(
            corpus,
            """select m.subject, m.sent_at_original, m.from_address, c.custodian, c.bates,
                      c.volume, c.line, c.text_path
               from message_copies c join messages m on m.id = c.message_id
               join sources s on s.id = c.source_id
               where s.path = ? and c.document = ?""",
            [f"{SAMPLES}/load_file_01.dat", r["Control Number"]],
        )
        assert got == [
            (
                r["Email Subject"].strip(),  # fields are read trimmed
                r["Date Sent"],
                parseaddr(r["Email From"])[1].lower(),
                r["Custodian"],
                r["Control Number"],
                "VOL01",
                records.index(r) + 2,
                f"{SAMPLES}/" + r["Extracted Text"].removeprefix(".\\").replace("\\", "/"),
            )
        ]
        to = rows(
            corpus,
            """select distinct p.address from participants p join message_copies c
               on c.message_id = p.message_id where c.document = ? and p.role = 'to'""",
            [r["Control Number"]],
        )
        assert to == [(parseaddr(r["Email To"])[1].lower(),)]
        # Its text is searchable.
        name = r["Extracted Text"].rsplit("\\", 1)[-1]
        text = (
            SHARED_FIXTURES / "load-files" / SAMPLES / "VOL01/TEXT/TEXT00001" / name
        ).read_text()
        found = rows(
            corpus,
            "select m.body from messages_fts f join messages m on m.rowid = f.rowid "
            "where messages_fts match ?",
            [f'"{name.removesuffix(".txt")}"'],
        )
        assert (text,) in found


def test_the_msg_native_is_parsed_and_matched_to_its_record(corpus):
    (record,) = [r for r in dat_records("load_file_01.dat") if r["FILE_PATH"].endswith(".msg")]
    got = rows(
        corpus,
        """select m.message_id, m.from_name, m.subject, c.method, c.bates, c.custodian,
                  c.native_path, d.kind
           from message_copies c join messages m on m.id = c.message_id
           join sources s on s.id = c.source_id
           join documents d on d.source_id = s.id and d.line = c.line
           where s.path like '%load_file_01.dat' and c.document = ?""",
        [record["Control Number"]],
    )
    assert got == [
        (
            "0000000031F175CBE4B30C47A5AE958595AE8B6804E22000@PMZL01",
            "Phillip K Allen",
            "Re:",
            "msg",
            "Sample_0000004",
            "Sample John",
            f"{SAMPLES}/VOL01/NATIVES/NATIVE00001/EDRM-Sample4.msg",
            "email",
        )
    ]
    # The samples' DAT was written by hand around the EDRM native: every field disagrees,
    # and each disagreement is a warning naming the record.
    reasons = {
        r[0].split(" ")[5]  # "the load file gives the subject 'X', the native 'Y'"
        for r in rows(
            corpus,
            "select reason from errors where location = 'line 5 (Sample_0000004)' "
            "and source_path like '%load_file_01.dat' and stage = 'loadfile'",
        )
    }
    assert reasons == {"subject", "date", "From", "To"}
    # The native was read as the production's, not as a loose file.
    assert rows(corpus, "select count(*) from sources where path like '%EDRM-Sample4.msg'") == [
        (0,)
    ]


def test_the_same_records_in_two_load_files_are_one_message_each(corpus):
    got = rows(
        corpus,
        """select c.document, count(distinct c.message_id), count(*) from message_copies c
           where c.document in ('Sample_0000003', 'Sample_0000004') group by c.document
           order by c.document""",
    )
    assert got == [("Sample_0000003", 1, 2), ("Sample_0000004", 1, 2)]


def test_what_is_not_email_and_what_cannot_be_read_is_counted_and_listed(corpus):
    assert rows(
        corpus,
        "select load_file, kind, encoding, records, emails, not_email, not_read "
        "from productions where load_file like 'nuix%' order by load_file",
    ) == [
        ("nuix-cp1252/loadfile.dat", "concordance", "cp1252", 1, 0, 1, 0),
        ("nuix-utf8/loadfile.dat", "concordance", "utf-8", 1, 0, 1, 0),
    ]
    # The cp1252 export's fields, þ read as the byte 0xFE.
    fields = json.loads(
        rows(corpus, "select fields from productions where encoding = 'cp1252'")[0][0]
    )
    assert fields[:4] == ["DOCID", "PARENT_DOCID", "ATTACH_DOCID", "BEGINBATES"]
    assert "Communication Date" in fields
    assert rows(
        corpus,
        "select d.doc_id, d.kind, d.what, d.title, d.native_path from documents d "
        "join sources s on s.id = d.source_id where s.path like 'nuix-cp1252%'",
    ) == [("SET-00000001", "not email", "Plain Text", "Jellyfish.txt",
           "nuix-cp1252/NATIVE/00/000/SET-00000001.txt")]  # fmt: skip
    # Natives and texts are the productions': no source of their own, no error.
    assert rows(
        corpus,
        "select count(*) from sources where path like 'nuix%/NATIVE/%' or path like 'nuix%/Text%'"
        " or path like 'nuix%/TEXT/%' or path like 'nuix%/Native/%'",
    ) == [(0,)]
    # Relativity's headerless samples (load_file_02 pipe-delimited, 03 and the eight 07_*
    # þ-delimited): each an error with its records counted, none guessed at.
    assert rows(
        corpus,
        "select count(*), sum(p.records) from productions p where p.not_read > 0",
    ) == [(10, 2 + 2 + 8 * 12)]
    assert rows(
        corpus,
        "select count(*) from errors where reason like 'no header row naming the fields%'",
    ) == [(10,)]


def test_the_opticon_files_alone_list_their_page_images(corpus):
    assert rows(
        corpus,
        "select load_file, records, pages, images, first_bates, last_bates from productions "
        "where kind = 'opticon' order by load_file",
    ) == [
        (f"{SAMPLES}/Opticon_01.opt", 1, 5, 5, "SYM-00011001_REV", "SYM-00011001_0004_REV"),
        (f"{SAMPLES}/opticon_02.opt", 1, 5, 5, "PROD-00011001_REV", "PROD-00011001_0004_REV"),
    ]
    # Their TIFF pages are theirs: no "not an email file" error for any of the five.
    assert rows(corpus, "select count(*) from sources where path like '%SYM-00011001_%.tif'") == [
        (0,)
    ]
