-- A corpus made by backchannel 0.1.0 (commit e69c56c, schema 0: no user_version), as .dump
-- wrote it: 8 messages of the sample's lee Maildir, ingested and analyzed with sample/roster.yaml.
-- Its full-text tables (derived, rebuilt when opened) were dropped before the dump: .dump writes
-- virtual tables through writable_schema, which Python's sqlite3 refuses.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "sources" (
   "id" TEXT PRIMARY KEY,
   "path" TEXT NOT NULL,
   "parent_id" TEXT,
   "sha256" TEXT NOT NULL,
   "size" INTEGER,
   "format" TEXT NOT NULL,
   "custodian" TEXT,
   "status" TEXT NOT NULL,
   "messages_expected" INTEGER,
   "messages_emitted" INTEGER,
   "messages_new" INTEGER,
   "duplicates" INTEGER,
   "failed" INTEGER,
   "warnings" INTEGER,
   "items_skipped" INTEGER,
   "skipped_kinds" TEXT,
   "reader_version" INTEGER,
   "custodian_rule" TEXT,
   "file" TEXT,
   "ingest_run" TEXT,
   "first_ingested_at" TEXT,
   "ingested_at" TEXT
);
INSERT INTO sources VALUES('215ecc433746fadb','cur/1736000002.0002.lakemont:2,S',NULL,'6784874174deda23dec8d4d886214b8be6f8d6e59d9bbc8a94f676308bc10ac6',540,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000002.0002.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('02cb4c1f35842ed4','cur/1736000005.0005.lakemont:2,S',NULL,'1ecb6d78d2aea43d829e4d5ef6b6d7830b3c14cdc10779baade36c1d2bf228e9',804,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000005.0005.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('b1a3cba00e2a55a8','cur/1736000023.0023.lakemont:2,S',NULL,'4db129866f402f90f91916802dfeb2dc852a86dd0ac0aa5fe1ef6bb1a843aae2',547,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000023.0023.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('084e2a8099fa1dbc','cur/1736000035.0035.lakemont:2,S',NULL,'c52188a88b6dabf2f68f4103d35cbad70c5f336114b1d55afde513df180e6ca9',524,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000035.0035.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('b9f8821bfe6e0cc7','cur/1736000037.0037.lakemont:2,S',NULL,'03849c78f8183179081892cbada945a28d9f6de4f0acb44f13abe7367db682ec',821,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000037.0037.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('0890f372d96976b8','cur/1736000042.0042.lakemont:2,S',NULL,'4162a28c82adb06950c6948082e9ea5e3aca15605ef45f13bb0688cbaf272614',508,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000042.0042.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('cbc6edbf5f93eb5b','cur/1736000043.0043.lakemont:2,S',NULL,'9575228b254d2f79b266ab6419fccf581d4c5cc536178fbe02249cb05807eeea',772,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000043.0043.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
INSERT INTO sources VALUES('8f90dbbaaa399146','cur/1736000057.0057.lakemont:2,S',NULL,'138b6a48e6431a1042454797c377580c94b7c0adbae986bc61769ae63cd701e2',814,'eml','lee','done',1,1,1,0,0,0,0,NULL,NULL,'layout','/tmp/oldc/lee/cur/1736000057.0057.lakemont:2,S','7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','2026-12-06T13:33:08+00:00');
CREATE TABLE IF NOT EXISTS "messages" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT,
   "dedupe_key" TEXT NOT NULL,
   "subject" TEXT,
   "sent_at" TEXT,
   "sent_at_original" TEXT,
   "sent_local" TEXT,
   "local_zone" TEXT,
   "zone_read_in" TEXT,
   "from_address" TEXT,
   "from_name" TEXT,
   "body" TEXT,
   "body_html" TEXT,
   "body_authored" TEXT,
   "body_quoted" TEXT,
   "signature" TEXT,
   "disclaimer" TEXT,
   "recovered" INTEGER DEFAULT 0,
   "thread_id" TEXT,
   "in_reply_to" TEXT,
   "reference_ids" TEXT,
   "attachment_count" INTEGER DEFAULT 0,
   "headers" TEXT,
   "first_source_id" TEXT REFERENCES "sources"("id"),
   "ner_hash" TEXT,
   "match_key" TEXT,
   "content_key" TEXT,
   "zone_known" INTEGER,
   "year" TEXT,
   "month" TEXT
);
INSERT INTO messages VALUES('1ac6dbabe9b37e30','eaeb1238478a.49@mail.sample.example','mid:eaeb1238478a.49@mail.sample.example|2025-01-09T01:35','Meeting request','2025-01-09T01:35:00+00:00','Wed, 08 Jan 2025 17:35:00 -0800','2025-01-08T17:35:00-08:00','America/Los_Angeles','UTC','rosa@betterschoolsnow.example','Rosa Ibáñez',replace('Hello,\n\nI wanted to follow up on a meeting next week. From what I understand, the vote could move to April.\n\nRosa Ibáñez\nBetter Schools Now','\n',char(10)),NULL,replace('Hello,\n\nI wanted to follow up on a meeting next week. From what I understand, the vote could move to April.','\n',char(10)),NULL,replace('Rosa Ibáñez\nBetter Schools Now','\n',char(10)),NULL,0,'1ac6dbabe9b37e30',NULL,NULL,0,'[["From", "Rosa Ibáñez <rosa@betterschoolsnow.example>"], ["To", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["Cc", "Amara Sesay <asesay@betterschoolsnow.example>"], ["Subject", "Meeting request"], ["Date", "Wed, 08 Jan 2025 17:35:00 -0800"], ["Message-ID", "<eaeb1238478a.49@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','215ecc433746fadb','b15b196cd67d2bca','b38bff9b232ef29f3481617e','168681b6e1ba2147',1,'2025','2025-01');
INSERT INTO messages VALUES('05053e988ba9e3ce','77a79c4b1f0a.50@mail.sample.example','mid:77a79c4b1f0a.50@mail.sample.example|2025-01-10T04:29','RE: Meeting request','2025-01-10T04:29:00+00:00','Thu, 09 Jan 2025 20:29:00 -0800','2025-01-09T20:29:00-08:00','America/Los_Angeles','UTC','marcus.lee@lakemontusd.example','Marcus Lee',replace('Happy to send more detail if that helps. Could we talk before the board meeting?\n\nMarcus Lee\n\n\nOn Wed, Jan 08, 2025 at 05:35 PM Rosa Ibáñez <rosa@betterschoolsnow.example> wrote:\n> Hello,\n> \n> I wanted to follow up on a meeting next week. From what I understand, the vote could move to April.\n> \n> Rosa Ibáñez\n> Better Schools Now','\n',char(10)),NULL,'Happy to send more detail if that helps. Could we talk before the board meeting?',replace('On Wed, Jan 08, 2025 at 05:35 PM Rosa Ibáñez <rosa@betterschoolsnow.example> wrote:\n> Hello,\n>\n> I wanted to follow up on a meeting next week. From what I understand, the vote could move to April.\n>\n> Rosa Ibáñez\n> Better Schools Now','\n',char(10)),'Marcus Lee',NULL,0,'1ac6dbabe9b37e30','eaeb1238478a.49@mail.sample.example','eaeb1238478a.49@mail.sample.example',0,'[["From", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["To", "Rosa Ibáñez <rosa@betterschoolsnow.example>"], ["Subject", "RE: Meeting request"], ["Date", "Thu, 09 Jan 2025 20:29:00 -0800"], ["Message-ID", "<77a79c4b1f0a.50@mail.sample.example>"], ["In-Reply-To", "<eaeb1238478a.49@mail.sample.example>"], ["References", "<eaeb1238478a.49@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','02cb4c1f35842ed4','913b384302a48cbd','0310130eae610f8bcc5f21fc','6eda1b869f9f33dc',1,'2025','2025-01');
INSERT INTO messages VALUES('7e83cf76cc66cd4e','c3c0583b993a.215@mail.sample.example','mid:c3c0583b993a.215@mail.sample.example|2025-01-26T20:45','Meeting request','2025-01-26T20:45:00+00:00','Sun, 26 Jan 2025 12:45:00 -0800','2025-01-26T12:45:00-08:00','America/Los_Angeles','UTC','dana.whitfield@lakemontusd.example','Dana Whitfield',replace('Hello,\n\nI wanted to follow up on a meeting next week. Could we talk before the board meeting?\n\nDana Whitfield','\n',char(10)),NULL,replace('Hello,\n\nI wanted to follow up on a meeting next week. Could we talk before the board meeting?','\n',char(10)),NULL,'Dana Whitfield',NULL,0,'7e83cf76cc66cd4e',NULL,NULL,0,'[["From", "Dana Whitfield <dana.whitfield@lakemontusd.example>"], ["To", "Priya Natarajan <priya.natarajan@lakemontusd.example>, Marcus Lee <marcus.lee@lakemontusd.example>, Owen Pritchard <owen.pritchard@lakemontusd.example>"], ["Subject", "Meeting request"], ["Date", "Sun, 26 Jan 2025 12:45:00 -0800"], ["Message-ID", "<c3c0583b993a.215@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','b1a3cba00e2a55a8','74f5509468c19bf5','42764cca82e679d2f78aee40','6e4e1588c23d038d',1,'2025','2025-01');
INSERT INTO messages VALUES('16bf43c1b3d5a4a6','625ce4a968eb.33@mail.sample.example','mid:625ce4a968eb.33@mail.sample.example|2025-02-02T22:14','Charter expansion vote','2025-02-02T22:14:00+00:00','Sun, 02 Feb 2025 14:14:00 -0800','2025-02-02T14:14:00-08:00','America/Los_Angeles','UTC','rosa@betterschoolsnow.example','Rosa Ibáñez',replace('Hello,\n\nI wanted to follow up on the charter expansion item on the March agenda. From what I understand, the vote could move to April.\n\nRosa Ibáñez\nBetter Schools Now','\n',char(10)),NULL,replace('Hello,\n\nI wanted to follow up on the charter expansion item on the March agenda. From what I understand, the vote could move to April.','\n',char(10)),NULL,replace('Rosa Ibáñez\nBetter Schools Now','\n',char(10)),NULL,0,'16bf43c1b3d5a4a6',NULL,NULL,0,'[["From", "Rosa Ibáñez <rosa@betterschoolsnow.example>"], ["To", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["Subject", "Charter expansion vote"], ["Date", "Sun, 02 Feb 2025 14:14:00 -0800"], ["Message-ID", "<625ce4a968eb.33@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','084e2a8099fa1dbc','d7fe1b62d9cac674','9836e03b1db3d04804e7b63f','309b9cb5987626d9',1,'2025','2025-02');
INSERT INTO messages VALUES('830856cea5cc93c0','c8e6f1838d9c.34@mail.sample.example','mid:c8e6f1838d9c.34@mail.sample.example|2025-02-04T07:34','RE: Charter expansion vote','2025-02-04T07:34:00+00:00','Mon, 03 Feb 2025 23:34:00 -0800','2025-02-03T23:34:00-08:00','America/Los_Angeles','UTC','marcus.lee@lakemontusd.example','Marcus Lee',replace('Thanks for making time for this. Thanks for making time for this.\n\nMarcus Lee\n\n\nOn Sun, Feb 02, 2025 at 02:14 PM Rosa Ibáñez <rosa@betterschoolsnow.example> wrote:\n> Hello,\n> \n> I wanted to follow up on the charter expansion item on the March agenda. From what I understand, the vote could move to April.\n> \n> Rosa Ibáñez\n> Better Schools Now','\n',char(10)),NULL,'Thanks for making time for this. Thanks for making time for this.',replace('On Sun, Feb 02, 2025 at 02:14 PM Rosa Ibáñez <rosa@betterschoolsnow.example> wrote:\n> Hello,\n>\n> I wanted to follow up on the charter expansion item on the March agenda. From what I understand, the vote could move to April.\n>\n> Rosa Ibáñez\n> Better Schools Now','\n',char(10)),'Marcus Lee',NULL,0,'16bf43c1b3d5a4a6','625ce4a968eb.33@mail.sample.example','625ce4a968eb.33@mail.sample.example',0,'[["From", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["To", "Rosa Ibáñez <rosa@betterschoolsnow.example>"], ["Subject", "RE: Charter expansion vote"], ["Date", "Mon, 03 Feb 2025 23:34:00 -0800"], ["Message-ID", "<c8e6f1838d9c.34@mail.sample.example>"], ["In-Reply-To", "<625ce4a968eb.33@mail.sample.example>"], ["References", "<625ce4a968eb.33@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','b9f8821bfe6e0cc7','f0eea1d8e893d196','4fb43eb6ca82e094445af385','8fc168f196b44333',1,'2025','2025-02');
INSERT INTO messages VALUES('fd3528cad2edd4c8','b263252edf9d.72@mail.sample.example','mid:b263252edf9d.72@mail.sample.example|2025-02-05T21:40','Reading curriculum','2025-02-05T21:40:00+00:00','Wed, 05 Feb 2025 13:40:00 -0800','2025-02-05T13:40:00-08:00','America/Los_Angeles','UTC','kdoyle@betterschoolsnow.example','Kevin Doyle',replace('Hello,\n\nI wanted to follow up on the reading curriculum pilot. Could we talk before the board meeting?\n\nKevin Doyle\nBetter Schools Now','\n',char(10)),NULL,replace('Hello,\n\nI wanted to follow up on the reading curriculum pilot. Could we talk before the board meeting?','\n',char(10)),NULL,replace('Kevin Doyle\nBetter Schools Now','\n',char(10)),NULL,0,'fd3528cad2edd4c8',NULL,NULL,0,'[["From", "Kevin Doyle <kdoyle@betterschoolsnow.example>"], ["To", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["Cc", "Amara Sesay <asesay@betterschoolsnow.example>"], ["Subject", "Reading curriculum"], ["Date", "Wed, 05 Feb 2025 13:40:00 -0800"], ["Message-ID", "<b263252edf9d.72@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','0890f372d96976b8','8c4e14fda3ae20da','eb999e22b6b0acadd28d528b','49ff80380664b2e5',1,'2025','2025-02');
INSERT INTO messages VALUES('108a8951f1d008c2','f3ce4cb138b7.73@mail.sample.example','mid:f3ce4cb138b7.73@mail.sample.example|2025-02-06T06:48','RE: Reading curriculum','2025-02-06T06:48:00+00:00','Wed, 05 Feb 2025 22:48:00 -0800','2025-02-05T22:48:00-08:00','America/Los_Angeles','UTC','marcus.lee@lakemontusd.example','Marcus Lee',replace('I''ve attached the draft we discussed. Our members have been asking about this for weeks.\n\nMarcus Lee\n\n\nOn Wed, Feb 05, 2025 at 01:40 PM Kevin Doyle <kdoyle@betterschoolsnow.example> wrote:\n> Hello,\n> \n> I wanted to follow up on the reading curriculum pilot. Could we talk before the board meeting?\n> \n> Kevin Doyle\n> Better Schools Now','\n',char(10)),NULL,'I''ve attached the draft we discussed. Our members have been asking about this for weeks.',replace('On Wed, Feb 05, 2025 at 01:40 PM Kevin Doyle <kdoyle@betterschoolsnow.example> wrote:\n> Hello,\n>\n> I wanted to follow up on the reading curriculum pilot. Could we talk before the board meeting?\n>\n> Kevin Doyle\n> Better Schools Now','\n',char(10)),'Marcus Lee',NULL,0,'fd3528cad2edd4c8','b263252edf9d.72@mail.sample.example','b263252edf9d.72@mail.sample.example',0,'[["From", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["To", "Kevin Doyle <kdoyle@betterschoolsnow.example>"], ["Subject", "RE: Reading curriculum"], ["Date", "Wed, 05 Feb 2025 22:48:00 -0800"], ["Message-ID", "<f3ce4cb138b7.73@mail.sample.example>"], ["In-Reply-To", "<b263252edf9d.72@mail.sample.example>"], ["References", "<b263252edf9d.72@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','cbc6edbf5f93eb5b','de07d9263a281fa9','95add2df9e72223113ae3d2e','830c17c73ff38565',1,'2025','2025-02');
INSERT INTO messages VALUES('9104d619d045c531','eeb59d4e0f04.9@mail.sample.example','mid:eeb59d4e0f04.9@mail.sample.example|2025-02-11T13:24','RE: Enrollment projections','2025-02-11T13:24:00+00:00','Tue, 11 Feb 2025 05:24:00 -0800','2025-02-11T05:24:00-08:00','America/Los_Angeles','UTC','marcus.lee@lakemontusd.example','Marcus Lee',replace('Please keep this between us until the agenda is posted. Let me check with the team and get back to you.\n\nMarcus Lee\n\n\nOn Mon, Feb 10, 2025 at 03:16 PM Amara Sesay <asesay@betterschoolsnow.example> wrote:\n> Hello,\n> \n> I wanted to follow up on the enrollment projections for next fall. From what I understand, the vote could move to April.\n> \n> Amara Sesay\n> Better Schools Now','\n',char(10)),NULL,'Please keep this between us until the agenda is posted. Let me check with the team and get back to you.',replace('On Mon, Feb 10, 2025 at 03:16 PM Amara Sesay <asesay@betterschoolsnow.example> wrote:\n> Hello,\n>\n> I wanted to follow up on the enrollment projections for next fall. From what I understand, the vote could move to April.\n>\n> Amara Sesay\n> Better Schools Now','\n',char(10)),'Marcus Lee',NULL,0,'0266c491019bb307','064f21c9b18b.8@mail.sample.example','064f21c9b18b.8@mail.sample.example',0,'[["From", "Marcus Lee <marcus.lee@lakemontusd.example>"], ["To", "Amara Sesay <asesay@betterschoolsnow.example>"], ["Subject", "RE: Enrollment projections"], ["Date", "Tue, 11 Feb 2025 05:24:00 -0800"], ["Message-ID", "<eeb59d4e0f04.9@mail.sample.example>"], ["In-Reply-To", "<064f21c9b18b.8@mail.sample.example>"], ["References", "<064f21c9b18b.8@mail.sample.example>"], ["Content-Type", "text/plain; charset=\"utf-8\""], ["Content-Transfer-Encoding", "quoted-printable"], ["MIME-Version", "1.0"]]','8f90dbbaaa399146','ecb86508c74bb927','d3d4b9969afc683568d91245','316d0b1a7cf66777',1,'2025','2025-02');
INSERT INTO messages VALUES('0266c491019bb307',NULL,'fp:asesay@betterschoolsnow.example|2025-02-10T15:16|re: enrollment projections|helloiwantedtofollowupontheenrollmentprojectionsfornextfallfromwhatiunderstandthevotecouldmovetoaprilamarasesaybetterschoolsnow','RE: Enrollment projections','2025-02-10T23:16:00+00:00','Mon, Feb 10, 2025 at 03:16 PM','2025-02-10T15:16:00-08:00','America/Los_Angeles','America/Los_Angeles','asesay@betterschoolsnow.example','Amara Sesay',replace('Hello,\n\nI wanted to follow up on the enrollment projections for next fall. From what I understand, the vote could move to April.\n\nAmara Sesay\nBetter Schools Now','\n',char(10)),NULL,replace('Hello,\n\nI wanted to follow up on the enrollment projections for next fall. From what I understand, the vote could move to April.','\n',char(10)),NULL,replace('Amara Sesay\nBetter Schools Now','\n',char(10)),NULL,1,'0266c491019bb307',NULL,NULL,0,'[["Quoted header", "On Mon, Feb 10, 2025 at 03:16 PM Amara Sesay <asesay@betterschoolsnow.example> wrote:"]]','8f90dbbaaa399146','e1ec576a814932f6','55b0b33d72015260019c8441','1266add3791546fc',0,'2025','2025-02');
CREATE TABLE IF NOT EXISTS "message_copies" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT REFERENCES "messages"("id"),
   "source_id" TEXT REFERENCES "sources"("id"),
   "custodian" TEXT,
   "custodian_rule" TEXT,
   "location" TEXT,
   "offset" INTEGER,
   "length" INTEGER,
   "folder" TEXT,
   "pages" TEXT,
   "bates" TEXT,
   "document" TEXT,
   "note" TEXT,
   "text" TEXT,
   "method" TEXT,
   "found_in" TEXT
);
INSERT INTO message_copies VALUES('840f56d223da794e','1ac6dbabe9b37e30','215ecc433746fadb','lee','layout','cur/1736000002.0002.lakemont:2,S',0,540,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('89c9a4ca413bd6e3','05053e988ba9e3ce','02cb4c1f35842ed4','lee','layout','cur/1736000005.0005.lakemont:2,S',0,804,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('0c0014b9c66dad06','7e83cf76cc66cd4e','b1a3cba00e2a55a8','lee','layout','cur/1736000023.0023.lakemont:2,S',0,547,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('4f97b23f79e70014','16bf43c1b3d5a4a6','084e2a8099fa1dbc','lee','layout','cur/1736000035.0035.lakemont:2,S',0,524,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('26dd4f572a2a9ae1','830856cea5cc93c0','b9f8821bfe6e0cc7','lee','layout','cur/1736000037.0037.lakemont:2,S',0,821,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('cea64d08cd2e30eb','fd3528cad2edd4c8','0890f372d96976b8','lee','layout','cur/1736000042.0042.lakemont:2,S',0,508,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('a8c589bd4f96ee8a','108a8951f1d008c2','cbc6edbf5f93eb5b','lee','layout','cur/1736000043.0043.lakemont:2,S',0,772,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('5c722cbcc653917d','9104d619d045c531','8f90dbbaaa399146','lee','layout','cur/1736000057.0057.lakemont:2,S',0,814,'cur',NULL,NULL,NULL,NULL,NULL,'rfc822',NULL);
INSERT INTO message_copies VALUES('e43dd98d412f92bc','1ac6dbabe9b37e30','02cb4c1f35842ed4','lee','layout','quoted in message 05053e988ba9e3ce, part 1',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'quoted','05053e988ba9e3ce');
INSERT INTO message_copies VALUES('fdd4969d9e8c355e','16bf43c1b3d5a4a6','b9f8821bfe6e0cc7','lee','layout','quoted in message 830856cea5cc93c0, part 1',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'quoted','830856cea5cc93c0');
INSERT INTO message_copies VALUES('65f8a43b6c2899a4','fd3528cad2edd4c8','cbc6edbf5f93eb5b','lee','layout','quoted in message 108a8951f1d008c2, part 1',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'quoted','108a8951f1d008c2');
INSERT INTO message_copies VALUES('d8aa9906a6b75a0e','0266c491019bb307','8f90dbbaaa399146','lee','layout','quoted in message 9104d619d045c531, part 1',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'quoted','9104d619d045c531');
CREATE TABLE IF NOT EXISTS "participants" (
   "message_id" TEXT REFERENCES "messages"("id"),
   "role" TEXT,
   "key" TEXT,
   "address" TEXT,
   "name" TEXT,
   "printed" TEXT,
   "alias" TEXT,
   "person_id" TEXT,
   PRIMARY KEY ("message_id", "role", "key")
);
INSERT INTO participants VALUES('1ac6dbabe9b37e30','from','rosa@betterschoolsnow.example','rosa@betterschoolsnow.example','Rosa Ibáñez',NULL,NULL,'27ce10a16db91c03');
INSERT INTO participants VALUES('1ac6dbabe9b37e30','to','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('1ac6dbabe9b37e30','cc','asesay@betterschoolsnow.example','asesay@betterschoolsnow.example','Amara Sesay',NULL,NULL,'e01475fa9a84c62e');
INSERT INTO participants VALUES('05053e988ba9e3ce','from','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('05053e988ba9e3ce','to','rosa@betterschoolsnow.example','rosa@betterschoolsnow.example','Rosa Ibáñez',NULL,NULL,'27ce10a16db91c03');
INSERT INTO participants VALUES('7e83cf76cc66cd4e','from','dana.whitfield@lakemontusd.example','dana.whitfield@lakemontusd.example','Dana Whitfield',NULL,NULL,'5ad9a6fc815b7a05');
INSERT INTO participants VALUES('7e83cf76cc66cd4e','to','priya.natarajan@lakemontusd.example','priya.natarajan@lakemontusd.example','Priya Natarajan',NULL,NULL,'11e65db0d8fa8b06');
INSERT INTO participants VALUES('7e83cf76cc66cd4e','to','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('7e83cf76cc66cd4e','to','owen.pritchard@lakemontusd.example','owen.pritchard@lakemontusd.example','Owen Pritchard',NULL,NULL,'38482e10a081554d');
INSERT INTO participants VALUES('16bf43c1b3d5a4a6','from','rosa@betterschoolsnow.example','rosa@betterschoolsnow.example','Rosa Ibáñez',NULL,NULL,'27ce10a16db91c03');
INSERT INTO participants VALUES('16bf43c1b3d5a4a6','to','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('830856cea5cc93c0','from','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('830856cea5cc93c0','to','rosa@betterschoolsnow.example','rosa@betterschoolsnow.example','Rosa Ibáñez',NULL,NULL,'27ce10a16db91c03');
INSERT INTO participants VALUES('fd3528cad2edd4c8','from','kdoyle@betterschoolsnow.example','kdoyle@betterschoolsnow.example','Kevin Doyle',NULL,NULL,'d78e03bf7f814f02');
INSERT INTO participants VALUES('fd3528cad2edd4c8','to','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('fd3528cad2edd4c8','cc','asesay@betterschoolsnow.example','asesay@betterschoolsnow.example','Amara Sesay',NULL,NULL,'e01475fa9a84c62e');
INSERT INTO participants VALUES('108a8951f1d008c2','from','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('108a8951f1d008c2','to','kdoyle@betterschoolsnow.example','kdoyle@betterschoolsnow.example','Kevin Doyle',NULL,NULL,'d78e03bf7f814f02');
INSERT INTO participants VALUES('9104d619d045c531','from','marcus.lee@lakemontusd.example','marcus.lee@lakemontusd.example','Marcus Lee',NULL,NULL,'19afaa84b02d4dde');
INSERT INTO participants VALUES('9104d619d045c531','to','asesay@betterschoolsnow.example','asesay@betterschoolsnow.example','Amara Sesay',NULL,NULL,'e01475fa9a84c62e');
INSERT INTO participants VALUES('0266c491019bb307','from','asesay@betterschoolsnow.example','asesay@betterschoolsnow.example','Amara Sesay','Amara Sesay <asesay@betterschoolsnow.example>',NULL,'e01475fa9a84c62e');
CREATE TABLE IF NOT EXISTS "attachments" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT REFERENCES "messages"("id"),
   "position" INTEGER,
   "name" TEXT,
   "content_type" TEXT,
   "size" INTEGER,
   "sha256" TEXT,
   "text" TEXT
);
CREATE TABLE IF NOT EXISTS "redactions" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT REFERENCES "messages"("id"),
   "source_id" TEXT REFERENCES "sources"("id"),
   "page" INTEGER,
   "code" TEXT,
   "kind" TEXT,
   "line" TEXT,
   "doubtful" INTEGER
);
CREATE TABLE IF NOT EXISTS "threads" (
   "id" TEXT PRIMARY KEY,
   "subject" TEXT,
   "first" TEXT,
   "last" TEXT,
   "message_count" INTEGER,
   "participant_count" INTEGER,
   "participants" TEXT,
   "missing" INTEGER
);
INSERT INTO threads VALUES('1ac6dbabe9b37e30','Meeting request','2025-01-09T01:35:00+00:00','2025-01-10T04:29:00+00:00',2,3,'["asesay@betterschoolsnow.example", "marcus.lee@lakemontusd.example", "rosa@betterschoolsnow.example"]',0);
INSERT INTO threads VALUES('7e83cf76cc66cd4e','Meeting request','2025-01-26T20:45:00+00:00','2025-01-26T20:45:00+00:00',1,4,'["dana.whitfield@lakemontusd.example", "marcus.lee@lakemontusd.example", "owen.pritchard@lakemontusd.example", "priya.natarajan@lakemontusd.example"]',0);
INSERT INTO threads VALUES('16bf43c1b3d5a4a6','Charter expansion vote','2025-02-02T22:14:00+00:00','2025-02-04T07:34:00+00:00',2,2,'["marcus.lee@lakemontusd.example", "rosa@betterschoolsnow.example"]',0);
INSERT INTO threads VALUES('fd3528cad2edd4c8','Reading curriculum','2025-02-05T21:40:00+00:00','2025-02-06T06:48:00+00:00',2,3,'["asesay@betterschoolsnow.example", "kdoyle@betterschoolsnow.example", "marcus.lee@lakemontusd.example"]',0);
INSERT INTO threads VALUES('0266c491019bb307','RE: Enrollment projections','2025-02-10T23:16:00+00:00','2025-02-11T13:24:00+00:00',2,2,'["asesay@betterschoolsnow.example", "marcus.lee@lakemontusd.example"]',1);
CREATE TABLE IF NOT EXISTS "missing_parents" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT REFERENCES "messages"("id"),
   "missing" TEXT,
   "via" TEXT
);
INSERT INTO missing_parents VALUES('017dd73f6b6dcc40','9104d619d045c531','064f21c9b18b.8@mail.sample.example','in-reply-to');
INSERT INTO missing_parents VALUES('ebda9b26d6281281','9104d619d045c531','064f21c9b18b.8@mail.sample.example','references');
INSERT INTO missing_parents VALUES('31168e20d0351d1b','9104d619d045c531','0266c491019bb307','quoted');
CREATE TABLE IF NOT EXISTS "persons" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "kind" TEXT,
   "roster_group" TEXT,
   "organization" TEXT,
   "keys" TEXT,
   "sent" INTEGER,
   "received" INTEGER,
   "first" TEXT,
   "last" TEXT,
   "correspondents" INTEGER,
   "betweenness" REAL,
   "pagerank" REAL,
   "community" INTEGER
);
INSERT INTO persons VALUES('27ce10a16db91c03','Rosa Ibáñez','member',NULL,'Better Schools Now','["rosa@betterschoolsnow.example"]',2,2,'2025-01-08','2025-02-03',2,0.0,0.17120699999999999807,1);
INSERT INTO persons VALUES('19afaa84b02d4dde','Marcus Lee','staff','Dana Whitfield',NULL,'["marcus.lee@lakemontusd.example"]',4,4,'2025-01-08','2025-02-11',4,0.16666700000000000958,0.23811899999999999733,1);
INSERT INTO persons VALUES('e01475fa9a84c62e','Amara Sesay','member',NULL,'Better Schools Now','["asesay@betterschoolsnow.example"]',0,3,'2025-01-08','2025-02-11',3,0.0,0.22037499999999998756,1);
INSERT INTO persons VALUES('5ad9a6fc815b7a05','Dana Whitfield','official','Dana Whitfield',NULL,'["dana.whitfield@lakemontusd.example"]',1,0,'2025-01-26','2025-01-26',3,0.0,0.070006999999999999784,2);
INSERT INTO persons VALUES('11e65db0d8fa8b06','Priya Natarajan','staff','Samuel Okafor',NULL,'["priya.natarajan@lakemontusd.example"]',0,1,'2025-01-26','2025-01-26',1,0.0,0.089843000000000006188,2);
INSERT INTO persons VALUES('38482e10a081554d','Owen Pritchard','staff','Helen Brandt',NULL,'["owen.pritchard@lakemontusd.example"]',0,1,'2025-01-26','2025-01-26',1,0.0,0.089843000000000006188,2);
INSERT INTO persons VALUES('d78e03bf7f814f02','Kevin Doyle','member',NULL,'Better Schools Now','["kdoyle@betterschoolsnow.example"]',1,1,'2025-02-05','2025-02-05',2,0.0,0.12060700000000000586,1);
CREATE TABLE IF NOT EXISTS "person_keys" (
   "id" TEXT PRIMARY KEY,
   "key" TEXT,
   "person_id" TEXT REFERENCES "persons"("id"),
   "rule" TEXT,
   "evidence" TEXT
);
INSERT INTO person_keys VALUES('9fb21b2e842ee0ff','rosa@betterschoolsnow.example','27ce10a16db91c03','roster email','rosa@betterschoolsnow.example is listed for Rosa Ibáñez in the roster');
INSERT INTO person_keys VALUES('34e4b4eae5394a1f','marcus.lee@lakemontusd.example','19afaa84b02d4dde','roster email','marcus.lee@lakemontusd.example is listed for Marcus Lee in the roster');
INSERT INTO person_keys VALUES('728ef4a6ccd7e202','asesay@betterschoolsnow.example','e01475fa9a84c62e','roster email','asesay@betterschoolsnow.example is listed for Amara Sesay in the roster');
INSERT INTO person_keys VALUES('e2dfbd1dbefaaaee','dana.whitfield@lakemontusd.example','5ad9a6fc815b7a05','roster email','dana.whitfield@lakemontusd.example is listed for Dana Whitfield in the roster');
INSERT INTO person_keys VALUES('3e948d442133752b','priya.natarajan@lakemontusd.example','11e65db0d8fa8b06','roster email','priya.natarajan@lakemontusd.example is listed for Priya Natarajan in the roster');
INSERT INTO person_keys VALUES('e6d96f3ebbae99fb','owen.pritchard@lakemontusd.example','38482e10a081554d','roster email','owen.pritchard@lakemontusd.example is listed for Owen Pritchard in the roster');
INSERT INTO person_keys VALUES('bb724524c986b784','kdoyle@betterschoolsnow.example','d78e03bf7f814f02','roster email','kdoyle@betterschoolsnow.example is listed for Kevin Doyle in the roster');
CREATE TABLE IF NOT EXISTS "identity_overrides" (
   "decision" TEXT,
   "a" TEXT,
   "b" TEXT,
   PRIMARY KEY ("decision", "a", "b")
);
CREATE TABLE IF NOT EXISTS "identity_suggestions" (
   "id" TEXT PRIMARY KEY,
   "key" TEXT,
   "person_id" TEXT REFERENCES "persons"("id"),
   "reason" TEXT
);
CREATE TABLE IF NOT EXISTS "entities" (
   "id" TEXT PRIMARY KEY,
   "label" TEXT,
   "text" TEXT,
   "person_id" TEXT REFERENCES "persons"("id"),
   "organization" TEXT
);
CREATE TABLE IF NOT EXISTS "mentions" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT REFERENCES "messages"("id"),
   "entity_id" TEXT REFERENCES "entities"("id"),
   "start" INTEGER,
   "end" INTEGER,
   "text" TEXT
);
CREATE TABLE IF NOT EXISTS "roster_people" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "kind" TEXT,
   "group_name" TEXT,
   "title" TEXT,
   "emails" TEXT,
   "aliases" TEXT,
   "nicknames" TEXT
);
INSERT INTO roster_people VALUES('a4d66a52bf0a0341','Dana Whitfield','official','Dana Whitfield','Board member, District 4','["dana.whitfield@lakemontusd.example"]','["D. Whitfield", "Whitfield, Dana"]','[]');
INSERT INTO roster_people VALUES('9cbbeb35b680e2b2','Marcus Lee','staff','Dana Whitfield',NULL,'["marcus.lee@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('e491a6c8efd4f8af','Samuel Okafor','official','Samuel Okafor','Board member, District 2','["samuel.okafor@lakemontusd.example"]','["Okafor, Samuel", "Sam Okafor"]','[]');
INSERT INTO roster_people VALUES('68f4b1d7448941cc','Priya Natarajan','staff','Samuel Okafor',NULL,'["priya.natarajan@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('70428bfe233f807d','Helen Brandt','official','Helen Brandt','Board member, District 1','["helen.brandt@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('b25c28d667ca0809','Owen Pritchard','staff','Helen Brandt',NULL,'["owen.pritchard@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('d89fde72b3909c44','Tomás Castrejón','official','Tomás Castrejón','Board member, District 3','["tomas.castrejon@lakemontusd.example"]','["Tomas Castrejon"]','[]');
INSERT INTO roster_people VALUES('4509d818acc806aa','Grace Liu','official','Grace Liu','Board member, District 5','["grace.liu@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('988fbb41cf2cbb92','Robert Farrow','official','Robert Farrow','Board member, District 6','["robert.farrow@lakemontusd.example"]','[]','["Bob Farrow"]');
INSERT INTO roster_people VALUES('c27dd8ac4f5ae2db','Angela Moreno','official','Angela Moreno','Board member, District 7','["angela.moreno@lakemontusd.example"]','[]','[]');
INSERT INTO roster_people VALUES('1841c7deff49d9fe','Rosa Ibáñez','member','Better Schools Now',NULL,'["rosa@betterschoolsnow.example"]','["Rosa Ibanez"]','["Rosie"]');
INSERT INTO roster_people VALUES('de6f389341e27adc','Kevin Doyle','member','Better Schools Now',NULL,'["kdoyle@betterschoolsnow.example"]','[]','[]');
INSERT INTO roster_people VALUES('5c4cd5d5b245a016','Amara Sesay','member','Better Schools Now',NULL,'["asesay@betterschoolsnow.example"]','[]','[]');
CREATE TABLE IF NOT EXISTS "roster_organizations" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "aliases" TEXT,
   "domains" TEXT
);
INSERT INTO roster_organizations VALUES('8ce9a12ac59564c9','Better Schools Now','["BSN"]','["betterschoolsnow.example"]');
INSERT INTO roster_organizations VALUES('9c2d7546992cf7fd','Lakemont Ledger','[]','["lakemontledger.example"]');
INSERT INTO roster_organizations VALUES('acc7a0f1a1665b7b','Brightpath Learning','[]','["brightpathlearning.example"]');
CREATE TABLE IF NOT EXISTS "bates_gaps" (
   "id" TEXT PRIMARY KEY,
   "series" TEXT,
   "first_missing" TEXT,
   "last_missing" TEXT,
   "pages" INTEGER,
   "after" TEXT,
   "before" TEXT
);
CREATE TABLE IF NOT EXISTS "redaction_diffs" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT,
   "copy_a" TEXT,
   "copy_b" TEXT,
   "release_a" TEXT,
   "release_b" TEXT,
   "codes_a" TEXT,
   "codes_b" TEXT,
   "shown_only_in_a" TEXT,
   "shown_only_in_b" TEXT,
   "other" TEXT
);
CREATE TABLE IF NOT EXISTS "silent_stretches" (
   "id" TEXT PRIMARY KEY,
   "custodian" TEXT,
   "first_week" TEXT,
   "last_week" TEXT,
   "weeks" INTEGER,
   "median_per_week" REAL
);
CREATE TABLE IF NOT EXISTS "settings" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
INSERT INTO settings VALUES('timezone','America/Los_Angeles');
CREATE TABLE IF NOT EXISTS "custodians" (
   "name" TEXT PRIMARY KEY,
   "rule" TEXT,
   "sources" INTEGER,
   "copies" INTEGER,
   "messages" INTEGER,
   "first" TEXT,
   "last" TEXT
);
INSERT INTO custodians VALUES('lee','layout',8,8,8,'2025-01-09T01:35:00+00:00','2025-02-11T13:24:00+00:00');
CREATE TABLE IF NOT EXISTS "ingest_runs" (
   "id" TEXT PRIMARY KEY,
   "started_at" TEXT,
   "paths" TEXT,
   "files_new" INTEGER,
   "messages_new" INTEGER,
   "copies_of_known" INTEGER
);
INSERT INTO ingest_runs VALUES('7f8854b45e9c4d08','2026-12-06T13:33:08+00:00','["lee"]',8,8,0);
CREATE TABLE IF NOT EXISTS "pages" (
   "id" TEXT PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "page" INTEGER,
   "method" TEXT,
   "ocr_confidence" REAL,
   "bates" TEXT,
   "stamps" TEXT,
   "chars" INTEGER
);
CREATE TABLE IF NOT EXISTS "counted_messages" (
   "counted" TEXT,
   "kind" TEXT,
   "direction" TEXT,
   "message_id" TEXT REFERENCES "messages"("id"),
   "sent_at" TEXT,
   "month" TEXT,
   "recovered" INTEGER,
   PRIMARY KEY ("counted", "direction", "message_id")
);
INSERT INTO counted_messages VALUES('11e65db0d8fa8b06','person','received','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('1544a09502eaca94','contact','a_to_b','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('1544a09502eaca94','contact','b_to_a','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','received','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','received','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','received','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','received','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','sent','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','sent','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','sent','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('19afaa84b02d4dde','person','sent','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('27ce10a16db91c03','person','received','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('27ce10a16db91c03','person','received','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('27ce10a16db91c03','person','sent','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('27ce10a16db91c03','person','sent','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('371c4fbbdbee8547','contact','b_to_a','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('38482e10a081554d','person','received','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('3c7641395d894361','contact','a_to_b','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','office_to_org','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','office_to_org','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','office_to_org','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','office_to_org','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','org_to_office','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','org_to_office','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('516fb4b82e5f6197','office_contact','org_to_office','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('5ad9a6fc815b7a05','person','sent','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('69880fcda237e885','contact','a_to_b','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('71c6cc14bcb9fe3a','group_edge','sent','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('71c6cc14bcb9fe3a','group_edge','sent','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('71c6cc14bcb9fe3a','group_edge','sent','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('730aeac4f7a34296','contact','a_to_b','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('730aeac4f7a34296','contact','a_to_b','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('730aeac4f7a34296','contact','b_to_a','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('730aeac4f7a34296','contact','b_to_a','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('7db9c765e6f3a42e','contact','b_to_a','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('908e77789b980269','contact','a_to_b','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('aec833ffcccfa393','group_edge','sent','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('aec833ffcccfa393','group_edge','sent','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('aec833ffcccfa393','group_edge','sent','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('aec833ffcccfa393','group_edge','sent','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('af816c31f33823e7','contact','b_to_a','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('b5346ac34d846a4a','group_edge','sent','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('d78e03bf7f814f02','person','received','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('d78e03bf7f814f02','person','sent','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('e01475fa9a84c62e','person','received','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('e01475fa9a84c62e','person','received','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('e01475fa9a84c62e','person','received','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('f17e2cdd1fde786e','group_edge','sent','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-080c3b3181b5','office','received','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-5100c9f76cd8','office','received','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','received','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','received','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','received','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','sent','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','sent','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','sent','7e83cf76cc66cd4e','2025-01-26T20:45:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','sent','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('office-daea17ef1ebf','office','sent','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','received','05053e988ba9e3ce','2025-01-10T04:29:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','received','108a8951f1d008c2','2025-02-06T06:48:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','received','830856cea5cc93c0','2025-02-04T07:34:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','received','9104d619d045c531','2025-02-11T13:24:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','sent','16bf43c1b3d5a4a6','2025-02-02T22:14:00+00:00','2025-02',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','sent','1ac6dbabe9b37e30','2025-01-09T01:35:00+00:00','2025-01',0);
INSERT INTO counted_messages VALUES('org-1c61729584e8','organization','sent','fd3528cad2edd4c8','2025-02-05T21:40:00+00:00','2025-02',0);
CREATE TABLE IF NOT EXISTS "contacts" (
   "id" TEXT PRIMARY KEY,
   "person_a" TEXT REFERENCES "persons"("id"),
   "person_b" TEXT REFERENCES "persons"("id"),
   "name_a" TEXT,
   "name_b" TEXT,
   "a_to_b" INTEGER,
   "b_to_a" INTEGER,
   "total" INTEGER,
   "first" TEXT,
   "last" TEXT,
   "recovered" INTEGER
);
INSERT INTO contacts VALUES('730aeac4f7a34296','19afaa84b02d4dde','27ce10a16db91c03','Marcus Lee','Rosa Ibáñez',2,2,4,'2025-01-08','2025-02-03',0);
INSERT INTO contacts VALUES('1544a09502eaca94','19afaa84b02d4dde','d78e03bf7f814f02','Marcus Lee','Kevin Doyle',1,1,2,'2025-02-05','2025-02-05',0);
INSERT INTO contacts VALUES('69880fcda237e885','27ce10a16db91c03','e01475fa9a84c62e','Rosa Ibáñez','Amara Sesay',1,0,1,'2025-01-08','2025-01-08',0);
INSERT INTO contacts VALUES('371c4fbbdbee8547','11e65db0d8fa8b06','5ad9a6fc815b7a05','Priya Natarajan','Dana Whitfield',0,1,1,'2025-01-26','2025-01-26',0);
INSERT INTO contacts VALUES('7db9c765e6f3a42e','19afaa84b02d4dde','5ad9a6fc815b7a05','Marcus Lee','Dana Whitfield',0,1,1,'2025-01-26','2025-01-26',0);
INSERT INTO contacts VALUES('af816c31f33823e7','38482e10a081554d','5ad9a6fc815b7a05','Owen Pritchard','Dana Whitfield',0,1,1,'2025-01-26','2025-01-26',0);
INSERT INTO contacts VALUES('3c7641395d894361','19afaa84b02d4dde','e01475fa9a84c62e','Marcus Lee','Amara Sesay',1,0,1,'2025-02-11','2025-02-11',0);
INSERT INTO contacts VALUES('908e77789b980269','d78e03bf7f814f02','e01475fa9a84c62e','Kevin Doyle','Amara Sesay',1,0,1,'2025-02-05','2025-02-05',0);
CREATE TABLE IF NOT EXISTS "offices" (
   "id" TEXT PRIMARY KEY,
   "official" TEXT,
   "person_id" TEXT REFERENCES "persons"("id"),
   "title" TEXT,
   "members" TEXT,
   "sent" INTEGER,
   "received" INTEGER,
   "first" TEXT,
   "last" TEXT,
   "correspondents" INTEGER,
   "betweenness" REAL,
   "pagerank" REAL,
   "community" INTEGER
);
INSERT INTO offices VALUES('office-daea17ef1ebf','Dana Whitfield','5ad9a6fc815b7a05','Board member, District 4','["Dana Whitfield", "Marcus Lee"]',5,3,'2025-01-08','2025-02-11',3,0.33333299999999999041,0.37167299999999997561,1);
INSERT INTO offices VALUES('office-5100c9f76cd8','Samuel Okafor',NULL,'Board member, District 2','["Priya Natarajan"]',0,1,'2025-01-26','2025-01-26',1,0.0,0.15678900000000001169,1);
INSERT INTO offices VALUES('office-080c3b3181b5','Helen Brandt',NULL,'Board member, District 1','["Owen Pritchard"]',0,1,'2025-01-26','2025-01-26',1,0.0,0.15678900000000001169,1);
INSERT INTO offices VALUES('office-8992d15e8c27','Tomás Castrejón',NULL,'Board member, District 3','[]',0,0,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO offices VALUES('office-fc76b6741d24','Grace Liu',NULL,'Board member, District 5','[]',0,0,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO offices VALUES('office-82ac5483fe8b','Robert Farrow',NULL,'Board member, District 6','[]',0,0,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO offices VALUES('office-b2a818c38d8f','Angela Moreno',NULL,'Board member, District 7','[]',0,0,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "organizations" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "aliases" TEXT,
   "domains" TEXT,
   "people" INTEGER,
   "sent" INTEGER,
   "received" INTEGER,
   "first" TEXT,
   "last" TEXT,
   "correspondents" INTEGER,
   "betweenness" REAL,
   "pagerank" REAL,
   "community" INTEGER
);
INSERT INTO organizations VALUES('org-1c61729584e8','Better Schools Now','["BSN"]','["betterschoolsnow.example"]',3,3,4,'2025-01-08','2025-02-11',1,0.0,0.31474900000000000099,1);
INSERT INTO organizations VALUES('org-1971f869ad35','Lakemont Ledger','[]','["lakemontledger.example"]',0,0,0,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO organizations VALUES('org-f1af9bce0f0c','Brightpath Learning','[]','["brightpathlearning.example"]',0,0,0,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "office_contacts" (
   "id" TEXT PRIMARY KEY,
   "organization" TEXT,
   "official" TEXT,
   "org_to_office" INTEGER,
   "office_to_org" INTEGER,
   "total" INTEGER,
   "first" TEXT,
   "last" TEXT,
   "busiest_months" TEXT,
   "recovered" INTEGER
);
INSERT INTO office_contacts VALUES('516fb4b82e5f6197','Better Schools Now','Dana Whitfield',3,4,7,'2025-01-08','2025-02-11','2025-02 (5), 2025-01 (2)',0);
INSERT INTO office_contacts VALUES('f5e7e07c2c7dd4df','Better Schools Now','Samuel Okafor',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('47390e8d91276230','Better Schools Now','Helen Brandt',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('a19f63c82ec2c0f5','Better Schools Now','Tomás Castrejón',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('ce689f90d409c210','Better Schools Now','Grace Liu',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('cd6e36b7d20e7a81','Better Schools Now','Robert Farrow',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('609423cfb9307182','Better Schools Now','Angela Moreno',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('bf3275fb64d4414f','Lakemont Ledger','Dana Whitfield',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('dbfc2dd9b32d5229','Lakemont Ledger','Samuel Okafor',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('98c01a99298d883c','Lakemont Ledger','Helen Brandt',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('c038762c8af72883','Lakemont Ledger','Tomás Castrejón',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('3ed94d3357fe9393','Lakemont Ledger','Grace Liu',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('d5a8cfd1da1b9847','Lakemont Ledger','Robert Farrow',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('00a6297f45d266be','Lakemont Ledger','Angela Moreno',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('48770db5eb7c602b','Brightpath Learning','Dana Whitfield',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('902ad5931fcdd3d1','Brightpath Learning','Samuel Okafor',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('2ad7d2010dc28651','Brightpath Learning','Helen Brandt',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('5b8ae9d67da4deb0','Brightpath Learning','Tomás Castrejón',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('0a5e51271c1cd9bc','Brightpath Learning','Grace Liu',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('40cfd8231efa478f','Brightpath Learning','Robert Farrow',0,0,0,NULL,NULL,'',0);
INSERT INTO office_contacts VALUES('f45316a3a64a53e7','Brightpath Learning','Angela Moreno',0,0,0,NULL,NULL,'',0);
CREATE TABLE IF NOT EXISTS "office_contact_months" (
   "id" TEXT PRIMARY KEY,
   "office_contact_id" TEXT REFERENCES "office_contacts"("id"),
   "organization" TEXT,
   "official" TEXT,
   "month" TEXT,
   "org_to_office" INTEGER,
   "office_to_org" INTEGER,
   "total" INTEGER
);
INSERT INTO office_contact_months VALUES('884ce0d6e2976cb6','516fb4b82e5f6197','Better Schools Now','Dana Whitfield','2025-01',1,1,2);
INSERT INTO office_contact_months VALUES('934059a894b81ff1','516fb4b82e5f6197','Better Schools Now','Dana Whitfield','2025-02',2,3,5);
CREATE TABLE IF NOT EXISTS "group_edges" (
   "id" TEXT PRIMARY KEY,
   "source" TEXT,
   "target" TEXT,
   "source_name" TEXT,
   "target_name" TEXT,
   "source_kind" TEXT,
   "target_kind" TEXT,
   "messages" INTEGER
);
INSERT INTO group_edges VALUES('b5346ac34d846a4a','office-daea17ef1ebf','office-5100c9f76cd8','Dana Whitfield','Samuel Okafor','office','office',1);
INSERT INTO group_edges VALUES('f17e2cdd1fde786e','office-daea17ef1ebf','office-080c3b3181b5','Dana Whitfield','Helen Brandt','office','office',1);
INSERT INTO group_edges VALUES('aec833ffcccfa393','office-daea17ef1ebf','org-1c61729584e8','Dana Whitfield','Better Schools Now','office','organization',4);
INSERT INTO group_edges VALUES('71c6cc14bcb9fe3a','org-1c61729584e8','office-daea17ef1ebf','Better Schools Now','Dana Whitfield','organization','office',3);
CREATE TABLE IF NOT EXISTS "errors" (
   "id" TEXT PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "source_path" TEXT,
   "location" TEXT,
   "stage" TEXT,
   "level" TEXT,
   "reason" TEXT,
   "message_id" TEXT,
   "at" TEXT
);
CREATE INDEX "idx_sources_sha256"
    ON "sources" ("sha256");
CREATE INDEX "idx_messages_sent_at"
    ON "messages" ("sent_at");
CREATE INDEX "idx_messages_message_id"
    ON "messages" ("message_id");
CREATE INDEX "idx_messages_from_address"
    ON "messages" ("from_address");
CREATE INDEX "idx_messages_match_key"
    ON "messages" ("match_key");
CREATE INDEX "idx_message_copies_message_id"
    ON "message_copies" ("message_id");
CREATE INDEX "idx_message_copies_source_id"
    ON "message_copies" ("source_id");
CREATE INDEX "idx_participants_address"
    ON "participants" ("address");
CREATE INDEX "idx_attachments_message_id"
    ON "attachments" ("message_id");
CREATE INDEX "idx_errors_source_id"
    ON "errors" ("source_id");
CREATE INDEX "idx_redactions_message_id"
    ON "redactions" ("message_id");
CREATE INDEX "idx_pages_source_id"
    ON "pages" ("source_id");
CREATE INDEX "idx_sources_file"
    ON "sources" ("file");
CREATE INDEX "idx_messages_thread_id"
    ON "messages" ("thread_id");
CREATE INDEX "idx_messages_content_key"
    ON "messages" ("content_key");
CREATE INDEX "idx_message_copies_found_in"
    ON "message_copies" ("found_in");
CREATE INDEX "idx_missing_parents_message_id"
    ON "missing_parents" ("message_id");
CREATE INDEX "idx_participants_key"
    ON "participants" ("key");
CREATE INDEX "idx_person_keys_person_id"
    ON "person_keys" ("person_id");
CREATE INDEX "idx_participants_person_id"
    ON "participants" ("person_id");
CREATE INDEX "idx_mentions_message_id"
    ON "mentions" ("message_id");
CREATE INDEX "idx_mentions_entity_id"
    ON "mentions" ("entity_id");
CREATE INDEX "idx_contacts_person_a_person_b"
    ON "contacts" ("person_a", "person_b");
CREATE INDEX "idx_contacts_person_b"
    ON "contacts" ("person_b");
CREATE INDEX "idx_counted_messages_message_id"
    ON "counted_messages" ("message_id");
CREATE INDEX idx_messages_keyless_sent on messages (sent_at) where message_id is null;
CREATE TRIGGER [messages_ad] after delete on [messages] begin insert into [messages_fts] ([messages_fts], rowid, [subject], [body]) values ('delete', old.rowid, old.[subject], old.[body]); end;
CREATE TRIGGER [messages_au] after update of [subject], [body] on [messages] begin insert into [messages_fts] ([messages_fts], rowid, [subject], [body]) values ('delete', old.rowid, old.[subject], old.[body]); insert into [messages_fts] (rowid, [subject], [body]) values (new.rowid, new.[subject], new.[body]); end;
CREATE TRIGGER [attachments_ad] after delete on [attachments] begin insert into [attachments_fts] ([attachments_fts], rowid, [name], [text]) values ('delete', old.rowid, old.[name], old.[text]); end;
CREATE TRIGGER [attachments_au] after update of [name], [text] on [attachments] begin insert into [attachments_fts] ([attachments_fts], rowid, [name], [text]) values ('delete', old.rowid, old.[name], old.[text]); insert into [attachments_fts] (rowid, [name], [text]) values (new.rowid, new.[name], new.[text]); end;
COMMIT;
