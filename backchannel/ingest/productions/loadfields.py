"""The field names e-discovery tools give a production's load file, by what they mean: the one
table the production reader (loadfile.py) reads a header row with. Data only; add a tool's
spelling to its role here.

Names are compared folded: case, spaces and punctuation aside ("Parent Document ID",
"PARENT_DOCID" and "ParentDocID" are one key each). A field no role names is kept as the
tool wrote it, in the message's headers and the document's fields.
"""

from __future__ import annotations

import re

# role -> names, as tools write them (Concordance, Relativity, Nuix, Ipro/Eclipse, Reveal,
# Everlaw, Logikcull, DISCO, CloudNine LAW, Summation's @C fields, EDRM's model load file).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "bates_begin": (
        "BEGBATES", "BEGDOC", "BEGDOC#", "BEGINBATES", "BEGNO", "BEG_BATES", "Bates Begin",
        "Begin Bates", "Beginning Bates", "Bates Beg", "BegBates Number", "Production Begin",
        "Prod Beg", "ProdBeg", "ProdBegBates", "Production Bates Begin", "Bates Start",
        "Start Bates", "StartBates", "First Bates", "FIRSTBATES", "BATES_BEGIN", "BATESBEG",
        "Bates Number", "Bates", "Production Number", "Image Key", "BEGINDOC", "BEGDOCNO",
        "Production Begin Bates", "Begin Bates Number", "Beg Prod", "BegProdBates", "T",
    ),
    "bates_end": (
        "ENDBATES", "ENDDOC", "ENDDOC#", "ENDNO", "END_BATES", "Bates End", "End Bates",
        "Ending Bates", "Production End", "Prod End", "ProdEnd", "ProdEndBates",
        "Production Bates End", "Last Bates", "LASTBATES", "BATES_END", "BATESEND",
        "ENDDOCNO", "Production End Bates", "End Bates Number", "End Prod", "EndProdBates",
    ),
    "doc_id": (
        "DOCID", "DOC_ID", "Document ID", "DocumentID", "Control Number", "Control No",
        "ControlNumber", "DOCNO", "Doc Number", "Document Number", "Item ID", "ItemID",
        "Record ID", "Unique ID", "Document Identifier", "Artifact ID",
    ),
    "attach_begin": (
        "BEGATTACH", "BEGINATTACH", "BEG_ATTACH", "Bates Begin Attach", "Beg Attach",
        "Begin Attachment", "Attach Begin", "AttachBegin", "BEGINGROUP", "BEGGROUP",
        "Group Begin", "BEGFAMILY", "Family Begin", "BegAttach", "Begin Family",
        "Production Begin Attachment", "ProdBegAttach", "Bates Begin Family",
    ),
    "attach_end": (
        "ENDATTACH", "END_ATTACH", "Bates End Attach", "End Attach", "End Attachment",
        "Attach End", "AttachEnd", "ENDGROUP", "Group End", "ENDFAMILY", "Family End",
        "End Family", "Production End Attachment", "ProdEndAttach", "Bates End Family",
    ),
    "parent": (
        "PARENT_DOCID", "PARENTDOCID", "Parent Document ID", "Parent ID", "ParentID",
        "Parent Doc ID", "PARENTBATES", "Parent Bates", "Parent Control Number",
        "Parent Document", "Parent", "PARENT_BATES", "Parent Item ID",
    ),
    "children": (
        "ATTACH_DOCID", "ATTACHDOCID", "Attachment Document IDs", "Attachment IDs",
        "Attach IDs", "ATTACHIDS", "Child Document IDs", "Child IDs", "ChildBates",
        "Child Bates", "Attachment Bates", "ATTACH_BATES", "Attachment Control Numbers",
    ),
    "group": ("Group Identifier", "Family ID", "FamilyID", "Group ID", "GroupID", "Family"),
    "custodian": (
        "Custodian", "Custodian/Source", "Custodian Name", "CUSTODIAN_NAME", "Primary Custodian",
    ),
    "from": (
        "From", "Email From", "From (SMTP Address)", "EmailFrom", "EMAIL_FROM", "FROM_EMAIL",
        "Sender", "Sender Name", "Email Sender", "Author (Email)", "E-mail From", "Mail From",
        "From Address", "Email Author",
    ),
    "to": (
        "To", "Email To", "To (SMTP Address)", "EmailTo", "EMAIL_TO", "Recipient",
        "Recipients", "E-mail To", "Mail To", "To Address", "Email Recipients",
    ),
    "cc": ("CC", "Email CC", "CC (SMTP Address)", "EmailCC", "EMAIL_CC", "Copyee", "E-mail CC"),
    "bcc": (
        "BCC", "Email BCC", "BCC (SMTP Address)", "EmailBCC", "EMAIL_BCC", "Blind Copyee",
        "E-mail BCC",
    ),
    "subject": (
        "Subject", "Email Subject", "Email Subject/Title", "EmailSubject", "EMAIL_SUBJECT",
        "Subject/Title", "E-mail Subject", "Mail Subject", "Conversation Topic",
    ),
    "date_sent": (
        "Date Sent", "DateSent", "Sent Date", "Sent Date/Time", "Date/Time Sent", "SENT_DATE",
        "Email Sent Date", "Sent On", "Sent", "DATESENT", "Date Time Sent", "SentDate",
        "Email Date Sent", "Sent Date Time", "Sent Date and Time",
    ),
    "time_sent": ("Time Sent", "TimeSent", "Sent Time", "SENT_TIME", "TIMESENT", "Email Sent Time"),
    "date_received": (
        "Date Received", "DateReceived", "Received Date", "Received Date/Time", "DATERCVD",
        "RECEIVED_DATE", "Date Rcvd", "Email Date Received", "Received",
    ),
    "time_received": ("Time Received", "TimeReceived", "Received Time", "TIMERCVD"),
    # A date for any document: an email's when nothing says when it was sent.
    "date": (
        "Communication Date", "Date", "DocDate", "Doc Date", "Document Date", "Primary Date",
        "Sort Date", "Master Date", "Family Date", "Date/Time",
    ),
    "time_zone": (
        "Time Zone", "TimeZone", "Native Time Zone Offset", "Time Zone Offset", "Timezone",
        "Time Zone Field", "Processing Time Zone", "TZ", "Time Zone Processed",
    ),
    "message_id": (
        "Message ID", "MessageID", "Message-ID", "Internet Message ID", "Email Message ID",
        "INTMSGID", "Internet Message-ID", "MSGID", "Email Internet Message ID",
    ),
    "in_reply_to": (
        "Email In Reply To ID", "In Reply To", "In-Reply-To", "InReplyTo", "In Reply To ID",
        "InReplyToID",
    ),
    "references": ("References", "Email References"),
    "conversation_index": ("Conversation Index", "ConversationIndex", "Email Conversation Index"),
    "record_type": (
        "Record Type", "RecordType", "Document Type", "DocType", "Doc Type", "File Type",
        "FileType", "Message Class", "MessageClass", "Email Type", "Item Type", "MEDIA",
        "Kind",
    ),
    "extension": (
        "Document Extension", "File Extension", "FILEEXT", "File Ext", "Extension",
        "File Extension (Original)", "File Extension (Corrected)", "Native Extension",
    ),
    "mime_type": ("MIME Type", "MimeType", "Mime", "Content Type"),
    "file_name": (
        "Filename", "File Name", "FILE_NAME", "Name", "Original File Name", "Native File Name",
        "Original Filename", "Document Title", "Title",
    ),
    "file_size": ("Filesize", "File Size", "FILE_SIZE", "Size", "Native Size"),
    "md5": ("MD5 Hash", "MD5", "MD5 Digest", "MD5Hash", "MD5_HASH", "Hash MD5"),
    "sha1": ("SHA1 Hash", "SHA1", "SHA-1 Digest", "SHA1Hash", "SHA-1", "Hash SHA1"),
    "sha256": ("SHA256 Hash", "SHA256", "SHA-256 Digest", "SHA-256"),
    "folder": (
        "Email Folder Path", "Folder Path", "Folder", "EMAIL_FOLDER", "Mail Folder", "Folder Name",
        "Source Folder", "FOLDER_PATH",
    ),
    "text_path": (
        "TEXTPATH", "TEXT_PATH", "Text Path", "Text Link", "TextLink", "Extracted Text",
        "Extracted Text Path", "OCR Path", "OCRPATH", "Text File", "FULLTEXT", "Full Text",
        "Text", "TEXTLINK", "Text Precedence", "O",
    ),
    "native_path": (
        "NATIVELINK", "Native Link", "NATIVE_LINK", "Native Path", "NATIVEPATH", "NATIVE_PATH",
        "ITEMPATH", "Item Path", "FILE_PATH", "File Path", "Native File", "NATIVE_FILE",
        "DOCLINK", "Doc Link", "Native", "EDOC", "Native File Path", "FILEPATH",
    ),
    "image_path": (
        "PDFPATH", "PDF Path", "IMAGEPATH", "Image Path", "IMAGE_PATH", "Image Link",
        "PDF Link", "Production PDF",
    ),
    "page_count": (
        "PAGECOUNT", "Page Count", "PGCOUNT", "Pages", "Number of Pages", "NUM_PAGES",
        "Image Count", "Page Count (Images)",
    ),
    "attachment_count": (
        "number of attachments", "Attachment Count", "Number of Attachments", "ATTACHCOUNT",
        "Child Count", "Attachments Count",
    ),
    "volume": ("VOLUME", "Volume Name", "Production Volume", "Volume"),
    # A privilege or withholding log names these, and no native or text: what was held back.
    "privilege": (
        "Privilege", "Privilege Type", "Privilege Basis", "Basis", "Basis for Withholding",
        "Privilege Claim", "Privilege Description", "Privilege Log Description",
        "Withholding Basis", "Reason Withheld", "Reason for Withholding", "Exemption",
        "Exemptions", "FOIA Exemption", "Privilege Asserted",
    ),
}  # fmt: skip

# What the roles above that matter most need: a header row that names none of these is not a
# production's (a contacts export, a spreadsheet).
IDENTITY_ROLES = ("bates_begin", "doc_id")
PATH_ROLES = ("native_path", "text_path", "image_path")

# Record types and message classes that say "an email" (folded as field names are).
EMAIL_TYPES = (
    "email", "e-mail", "emails", "mail", "message", "emailmessage", "mailmessage", "ipm.note",
    "msg", "eml", "emlx", "mbox", "outlookmessage", "microsoftoutlookmessage", "mimeemail",
    "message/rfc822", "application/vnd.ms-outlook", "emailparent", "parentemail", "lotusnotesmail",
    "notesmail", "edocemail", "eemail", "electronicmail",
)  # fmt: skip
# Record types that say it is not the email of a family, though it may carry its fields.
NOT_EMAIL_TYPES = (
    "attachment", "emailattachment", "edoc", "e-doc", "efile", "loosefile", "loosefiles",
    "document", "file", "image", "scan", "paper", "hardcopy", "calendar", "appointment",
    "contact", "task", "note", "ipm.appointment", "ipm.contact", "ipm.task", "ipm.stickynote",
)  # fmt: skip
EMAIL_EXTENSIONS = ("msg", "eml", "emlx")

# What a document that is not email is, by its extension: the source's reconciliation counts
# them by kind (sources.skipped_kinds).
KIND_OF_EXTENSION = {
    **dict.fromkeys(("xls", "xlsx", "xlsm", "xlsb", "csv", "ods", "numbers"), "spreadsheet"),
    **dict.fromkeys(("doc", "docx", "docm", "rtf", "wpd", "odt", "pages", "txt"), "document"),
    **dict.fromkeys(("ppt", "pptx", "pps", "ppsx", "odp", "key"), "presentation"),
    **dict.fromkeys(("pdf",), "pdf"),
    **dict.fromkeys(
        ("tif", "tiff", "jpg", "jpeg", "png", "gif", "bmp", "emf", "wmf", "heic"), "image"
    ),
    **dict.fromkeys(("htm", "html", "mht", "mhtml", "xml"), "web page"),
    **dict.fromkeys(("zip", "rar", "7z", "pst", "nsf"), "container"),
    **dict.fromkeys(("ics", "vcs"), "calendar"),
    **dict.fromkeys(("vcf",), "contact"),
    **dict.fromkeys(("mp3", "wav", "m4a", "mp4", "mov", "avi", "wmv"), "audio or video"),
}

_PUNCT = re.compile(r"[\W_]+")

# Where the table has no name, what the words of a field's folded name say (tools add words:
# "Sent Date (UTC)", "Production::Begin Bates Number", "Email From (Name)"). First match wins.
PATTERNS: list[tuple[str, str]] = [
    (r"^(prod\w*)?(beg|begin|start|first)\w*(bates|doc)|bates\w*(beg|start|first)",
     "bates_begin"),
    (r"^(prod\w*)?(end|last)\w*(bates|doc)|bates\w*(end|last)", "bates_end"),
    (r"(beg|begin|start)\w*(attach|family|group)", "attach_begin"),
    (r"(end|last)\w*(attach|family|group)", "attach_end"),
    (r"^parent\w*(id|bates|doc|control|number)$", "parent"),
    (r"^(email|mail)?(sent\w*(date|time|on)|date\w*sent)", "date_sent"),
    (r"^(email|mail)?(received\w*(date|time)|date\w*(received|rcvd))", "date_received"),
    (r"^((email|mail)?from|sender)(name|address|smtp\w*|email)?$", "from"),
    (r"^(email|mail)?to(name|address|smtp\w*|email)?$", "to"),
    (r"^(email|mail)?cc(name|address|smtp\w*|email)?$", "cc"),
    (r"^(email|mail)?bcc(name|address|smtp\w*|email)?$", "bcc"),
    (r"^(email|mail)?subject(line)?$", "subject"),
    (r"^(primary)?custodian(name)?$", "custodian"),
    (r"^(extracted|ocr|full)?text\w*(path|link|file)$", "text_path"),
    (r"^native\w*(path|link|file)$", "native_path"),
    (r"messageid$", "message_id"),
    (r"^(native)?timezone", "time_zone"),
]  # fmt: skip


def fold_name(name: str) -> str:
    """A field name as compared: case, spaces and punctuation aside."""
    return _PUNCT.sub("", name.casefold())


_ROLE_OF: dict[str, str] = {}
for _role, _names in FIELD_NAMES.items():
    for _name in _names:
        _ROLE_OF.setdefault(fold_name(_name), _role)


_COMPILED = [(re.compile(pattern), role) for pattern, role in PATTERNS]


def role_of(name: str) -> str | None:
    """The role of a field named `name`: the table's, else its words' (PATTERNS); None when
    neither knows it."""
    folded = fold_name(name)
    role = _ROLE_OF.get(folded)
    if role is None and folded:
        role = next((r for pattern, r in _COMPILED if pattern.search(folded)), None)
    return role


def roles(header: list[str]) -> dict[str, int]:
    """role -> the column that has it (the first of `ranked_roles`)."""
    return {role: columns[0] for role, columns in ranked_roles(header).items()}


def ranked_roles(header: list[str]) -> dict[str, list[int]]:
    """role -> the columns that have it, best first: the table's names before its words'
    guesses, email fields before generic ones ("Email Subject" before "Subject"), then in the
    header's order (a tool's own field before a copy of it). A record's value for a role is
    the first of these columns that has one."""
    found: dict[str, list[int]] = {}
    for column, name in enumerate(header):
        role = role_of(name)
        if role is not None:
            found.setdefault(role, []).append(column)
    return {
        role: sorted(columns, key=lambda c: (_rank(role, header[c]), c))
        for role, columns in found.items()
    }


def _rank(role: str, name: str) -> int:
    """How specific a name is for its role: the table's names before its words' guesses,
    email fields before generic ones."""
    folded = fold_name(name)
    if folded not in _ROLE_OF:
        return 2
    if role in ("from", "to", "cc", "bcc", "subject", "date_sent") and "email" in folded:
        return 0
    return 1


def zone_in_name(name: str) -> str | None:
    """A date field whose name gives its zone ("Sent Date (UTC)"): that zone."""
    folded = fold_name(name)
    return "UTC" if folded.endswith(("utc", "gmt")) or "utc" in folded else None


def is_email_type(value: str) -> bool | None:
    """True for a record type that says email, False for one that says another thing, None
    when it says neither."""
    folded = value.strip().casefold()
    squeezed = fold_name(folded)
    if not squeezed:
        return None
    if folded in EMAIL_TYPES or squeezed in EMAIL_TYPES or folded.startswith("ipm.note"):
        return True
    if folded in NOT_EMAIL_TYPES or squeezed in NOT_EMAIL_TYPES or folded.startswith("ipm."):
        return False
    return None


def kind_of_extension(extension: str) -> str:
    return KIND_OF_EXTENSION.get(extension.strip().lstrip(".").casefold(), "other document")
