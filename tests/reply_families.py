"""Hand-written reply bodies, one or more per family of the ways mail clients quote and sign:
attribution lines in each language, separators and header blocks, inline and bottom-posted
replies, HTML from each client, signatures that must come off and sentences that must not.
Fictional people. Each case: what the sender wrote (after the signature comes off) and, where
it matters, the signature."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    body: str  # the text body; for HTML cases, the HTML (the message has no text part)
    authored: str
    signature: str | None = None  # None: not checked
    sender: str = "Rosa Ibáñez"
    html: bool = False


ANSWER = "The vote moved to Thursday."
QUOTE = "> Is the vote still on Tuesday?\n> Dana\n"


def _attribution(name: str, line: str, family: str = "attribution") -> Case:
    """A top-posted answer over a ">" quote under the attribution line."""
    return Case(name, family, f"{ANSWER}\n\n{line}\n{QUOTE}", ANSWER)


def _unmarked(name: str, line: str) -> Case:
    """The same, the quoted text without ">" (an HTML reply turned into text)."""
    return Case(
        name,
        "attribution, unmarked quote",
        f"{ANSWER}\n\n{line}\n\nIs the vote still on Tuesday?\nDana\n",
        ANSWER,
    )


ATTRIBUTIONS = [
    ("en_gmail", "On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield <dana@district.example> wrote:"),
    ("en_apple", "On Mar 3, 2025, at 16:02, Dana Whitfield <dana@district.example> wrote:"),
    ("en_thunderbird", "On 3/3/25 4:02 PM, Dana Whitfield wrote:"),
    (
        "en_yahoo",
        "On Monday, March 3, 2025, 04:02:11 PM PST, Dana Whitfield <dana@district.example> wrote:",
    ),
    ("en_writes", "Dana Whitfield <dana@district.example> writes:"),
    ("en_mutt", "* Dana Whitfield <dana@district.example> [2025-03-03 16:02:11 -0800]:"),
    ("en_horde", "Quoting Dana Whitfield <dana@district.example>:"),
    ("gmail_iso", "2025-03-03 16:02 GMT+01:00 Dana Whitfield <dana@district.example>:"),
    (
        "zoho",
        "---- On Mon, 03 Mar 2025 16:02:11 +0100 Dana Whitfield <dana@district.example> wrote ----",
    ),
    ("es", "El lun, 3 mar 2025 a las 16:02, Dana Whitfield (<dana@district.example>) escribió:"),
    ("fr", "Le lun. 3 mars 2025 à 16:02, Dana Whitfield <dana@district.example> a écrit :"),
    (
        "de_gmail",
        "Am Mo., 3. März 2025 um 16:02 Uhr schrieb Dana Whitfield <dana@district.example>:",
    ),
    ("de_apple", "Am 03.03.2025 um 16:02 schrieb Dana Whitfield <dana@district.example>:"),
    (
        "de_name_first",
        "Dana Whitfield <dana@district.example> schrieb am Mo., 3. März 2025, 16:02:",
    ),
    (
        "it",
        "Il giorno lun 3 mar 2025 alle ore 16:02 Dana Whitfield <dana@district.example> ha "
        "scritto:",
    ),
    ("nl", "Op ma 3 mrt 2025 om 16:02 schreef Dana Whitfield <dana@district.example>:"),
    ("pt", "Em seg., 3 de mar. de 2025 às 16:02, Dana Whitfield <dana@district.example> escreveu:"),
    ("pl", "W dniu 3.03.2025 o 16:02, Dana Whitfield <dana@district.example> pisze:"),
    ("pl_gmail", "pon., 3 mar 2025 o 16:02 Dana Whitfield <dana@district.example> napisał(a):"),
    ("sv", "Den 3 mars 2025 kl. 16:02 skrev Dana Whitfield <dana@district.example>:"),
    ("da", "Den man. 3. mar. 2025 kl. 16.02 skrev Dana Whitfield <dana@district.example>:"),
    ("nb", "man. 3. mar. 2025 kl. 16:02 skrev Dana Whitfield <dana@district.example>:"),
    ("fi", "ma 3.3.2025 klo 16.02 Dana Whitfield (dana@district.example) kirjoitti:"),
    ("cs", "po 3. 3. 2025 v 16:02 odesílatel Dana Whitfield <dana@district.example> napsal:"),
    ("tr", "Dana Whitfield <dana@district.example>, 3 Mar 2025 Pzt, 16:02 tarihinde şunu yazdı:"),
    ("hu", "Dana Whitfield <dana@district.example> ezt írta (időpont: 2025. márc. 3., H, 16:02):"),
    ("ru_gmail", "пн, 3 мар. 2025 г. в 16:02, Dana Whitfield <dana@district.example>:"),
    ("ru_wrote", "3 марта 2025 г., в 16:02, Dana Whitfield <dana@district.example> написал:"),
    (
        "ru_mailru",
        "Понедельник, 3 марта 2025, 16:02 +03:00 от Dana Whitfield <dana@district.example>:",
    ),
    ("uk", "пн, 3 бер. 2025 о 16:02 Dana Whitfield <dana@district.example> пише:"),
    ("zh", "在 2025年3月3日 16:02，Dana Whitfield <dana@district.example> 写道："),
    ("zh_gmail", "Dana Whitfield <dana@district.example> 于2025年3月3日周一 16:02写道："),
    ("ja_gmail", "2025年3月3日(月) 16:02 Dana Whitfield <dana@district.example>:"),
    ("ja_apple", "2025/03/03 16:02、Dana Whitfield <dana@district.example>のメッセージ:"),
    ("ko", "2025년 3월 3일 (월) 오후 4:02, Dana Whitfield <dana@district.example>님이 작성:"),
    ("vi", "Vào Th 2, 3 thg 3, 2025 vào lúc 16:02 Dana Whitfield <dana@district.example> đã viết:"),
    ("yandex", '03.03.2025, 16:02, "Dana Whitfield" <dana@district.example>:'),
]

CASES: list[Case] = [_attribution(name, line) for name, line in ATTRIBUTIONS]
CASES += [_unmarked(f"{name}_unmarked", line) for name, line in ATTRIBUTIONS[:3]]
CASES += [
    Case(
        "two_line_attribution",
        "attribution",
        f"{ANSWER}\n\nOn Mon, Mar 3, 2025 at 4:02 PM,\nDana Whitfield <dana@district.example> "
        f"wrote:\n{QUOTE}",
        ANSWER,
    ),
    Case(
        "three_line_attribution",
        "attribution",
        f"{ANSWER}\n\nOn Mar 3, 2025, at 4:02 PM, Dana Whitfield\n<dana@district.example>\n"
        f"wrote:\n\n{QUOTE}",
        ANSWER,
    ),
    Case(
        "attribution_on_the_answer_line",
        "attribution",
        f"{ANSWER} On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield <dana@district.example> "
        f"wrote:\n{QUOTE}",
        ANSWER,
    ),
    Case(
        "a_sentence_above_an_attribution",
        "attribution",
        "On Tuesday we vote.\nDana Whitfield <dana@district.example> writes:\n> Is it Tuesday?\n",
        "On Tuesday we vote.",
    ),
    Case(
        "not_an_attribution",
        "attribution",
        "On the other hand, the board wrote to us:\n\nWe will decide in April.\n",
        "On the other hand, the board wrote to us:\n\nWe will decide in April.",
    ),
    Case(
        "a_url_with_wrote",
        "attribution",
        "See https://news.example/what-the-board-wrote: it is all there.\n\nAnd more.\n",
        "See https://news.example/what-the-board-wrote: it is all there.\n\nAnd more.",
    ),
    # Separators and header blocks.
    Case(
        "de_outlook",
        "separator",
        f"{ANSWER}\n\n-----Ursprüngliche Nachricht-----\nVon: Dana Whitfield "
        "<dana@district.example>\nGesendet: Montag, 3. März 2025 16:02\nAn: Rosa Ibáñez\n"
        "Betreff: Abstimmung\n\nIst die Abstimmung noch am Dienstag?\n",
        ANSWER,
    ),
    Case(
        "da_outlook",
        "separator",
        f"{ANSWER}\n\n-----Oprindelig meddelelse-----\nFra: Dana Whitfield\nSendt: 3. marts 2025 "
        "16:02\nTil: Rosa Ibáñez\nEmne: Afstemning\n\nEr afstemningen stadig tirsdag?\n",
        ANSWER,
    ),
    Case(
        "es_outlook",
        "separator",
        f"{ANSWER}\n\n-----Mensaje original-----\nDe: Dana Whitfield\nEnviado el: lunes, 3 de "
        "marzo de 2025 16:02\nPara: Rosa Ibáñez\nAsunto: Votación\n\n¿Sigue el martes?\n",
        ANSWER,
    ),
    Case(
        "fr_outlook",
        "separator",
        f"{ANSWER}\n\n-------- Message d'origine --------\nDe : Dana Whitfield\nDate : 03/03/2025 "
        "16:02 (GMT-08:00)\nÀ : Rosa Ibáñez\nObjet : Vote\n\nLe vote est-il toujours mardi ?\n",
        ANSWER,
    ),
    Case(
        "fr_block_without_separator",
        "header block",
        f"{ANSWER}\n\nDe : Dana Whitfield [mailto:dana@district.example]\nEnvoyé : lundi 3 mars "
        "2025 16:02\nÀ : Rosa Ibáñez\nObjet : Vote\n\nLe vote est-il toujours mardi ?\n",
        ANSWER,
    ),
    Case(
        "zh_outlook",
        "header block",
        f"{ANSWER}\n\n发件人: Dana Whitfield <dana@district.example>\n"
        "发送时间: 2025年3月3日 16:02\n收件人: Rosa Ibáñez\n主题: 投票\n\n投票还在星期二吗？\n",
        ANSWER,
    ),
    Case(
        "underscores_over_outlook_block",
        "header block",
        f"{ANSWER}\n________________________________\nFrom: Dana Whitfield\nSent: Monday, March 3,"
        " 2025 4:02 PM\nTo: Rosa Ibáñez\nSubject: Vote\n\nIs the vote still on Tuesday?\n",
        ANSWER,
    ),
    Case(
        "bold_labels",
        "header block",
        f"{ANSWER}\n\n*From:* Dana Whitfield [mailto:dana@district.example]\n*Sent:* Monday, "
        "March 3, 2025 4:02 PM\n*To:* Rosa Ibáñez\n*Subject:* Vote\n\nIs it Tuesday?\n",
        ANSWER,
    ),
    Case(
        "hotmail_date_first",
        "header block",
        f"{ANSWER}\n\nDate: Mon, 3 Mar 2025 16:02:11 -0800\nSubject: Vote\nFrom: "
        "dana@district.example\nTo: rosa@bsn.example\n\nIs it Tuesday?\n",
        ANSWER,
    ),
    Case(
        "apple_forward",
        "separator",
        "FYI\n\nBegin forwarded message:\n\nFrom: Dana Whitfield <dana@district.example>\n"
        "Subject: Vote\nDate: March 3, 2025 at 4:02:11 PM PST\nTo: Rosa Ibáñez\n\nIs it Tuesday?\n",
        "FYI",
    ),
    Case(
        "zh_separator",
        "separator",
        f'{ANSWER}\n\n------------------ 原始邮件 ------------------\n发件人: "Dana"<dana@district'
        '.example>;\n发送时间: 2025年3月3日(星期一) 下午4:02\n收件人: "Rosa"<rosa@bsn.example>;\n'
        "主题: 投票\n\n投票还在星期二吗？\n",
        ANSWER,
    ),
    Case(
        "notes_forward",
        "separator",
        "Please see below.\n\n---------------------- Forwarded by Dana Whitfield/LUSD on "
        "03/03/2025 04:02 PM ---------------------------\n\nKevin Doyle <kdoyle@bsn.example> on "
        "03/03/2025 01:12:21 PM\nTo: Dana Whitfield/LUSD@LUSD\ncc:\nSubject: Petition\n\n"
        "Here it is.\n",
        "Please see below.",
    ),
    Case(
        "notes_reply",
        "header block",
        f"{ANSWER}\n\n\n\nDana Whitfield/LUSD\n03/03/2025 04:02 PM\nTo: Rosa Ibáñez/BSN@BSN\n"
        "cc: Marcus Lee/LUSD@LUSD\nSubject: Re: Vote\n\nIs it Tuesday?\n",
        ANSWER,
    ),
    Case(
        "a_memo_is_not_a_header_block",
        "header block",
        "Here is the note I left:\n\nFrom: the facilities office\nTo: all staff\n\nThe gym is "
        "closed on Friday.\n",
        "Here is the note I left:\n\nFrom: the facilities office\nTo: all staff\n\nThe gym is "
        "closed on Friday.",
    ),
    # Top, bottom and inline posting.
    Case(
        "bottom_post",
        "bottom posting",
        "Hi Dana,\n\nOn Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield <dana@district.example> wrote:"
        f"\n{QUOTE}\n{ANSWER}\nAnd the room is 204.\n",
        f"Hi Dana,\n\n{ANSWER}\nAnd the room is 204.",
    ),
    Case(
        "inline_answers",
        "inline replies",
        "On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield <dana@district.example> wrote:\n"
        "> Is the vote still on Tuesday?\n\nNo, Thursday.\n\n> And the room?\n\nRoom 204.\n\n"
        "> Will you bring the petition?\n>\n> Dana\n\nYes.\n\n-- \nRosa Ibáñez\n",
        "No, Thursday.\n\nRoom 204.\n\nYes.",
        "-- \nRosa Ibáñez",
    ),
    Case(
        "inline_without_attribution",
        "inline replies",
        "> Is the vote still on Tuesday?\nNo, Thursday.\n> And the room?\nRoom 204.\n",
        "No, Thursday.\n\nRoom 204.",
    ),
    Case(
        "inline_under_a_wrapped_quote",
        "inline replies",
        "Dana Whitfield wrote:\n> The facilities report says that the gym roof needs work before\n"
        "the winter\n> and that the bond would pay for it.\n\nIt does, and the pool too.\n",
        "It does, and the pool too.",
    ),
    Case(
        "entity_quoted",
        "inline replies",
        "On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield &lt;dana@district.example&gt; wrote:\n"
        "&gt; Is the vote still on Tuesday?\n\nNo, Thursday.\n",
        "No, Thursday.",
    ),
    Case(
        "a_code_block_with_a_prompt",
        "inline replies",
        "Run this on the server:\n\n```\n> cd /srv/board\n> make minutes\n```\n\nIt takes a "
        "minute.\n",
        "Run this on the server:\n\n```\n> cd /srv/board\n> make minutes\n```\n\nIt takes a "
        "minute.",
    ),
    # Signatures that come off.
    Case(
        "sig_dash_dash_space",
        "signature",
        f"{ANSWER}\n\n-- \nRosa\nBSN\n",
        ANSWER,
        "-- \nRosa\nBSN",
    ),
    Case("sig_dash_dash", "signature", f"{ANSWER}\n--\nRosa Ibáñez\n", ANSWER, "--\nRosa Ibáñez"),
    Case("sig_three_dashes", "signature", f"{ANSWER}\n---\nRosa\n", ANSWER, "---\nRosa"),
    Case("sig_em_dash", "signature", f"{ANSWER}\n\n—\nRosa Ibáñez\nBSN\n", ANSWER),
    Case("sig_dash_name", "signature", f"{ANSWER}\n\n-Rosa\n", ANSWER, "-Rosa"),
    Case("sig_dash_space_name", "signature", f"{ANSWER}\n\n- Rosa I.\n", ANSWER, "- Rosa I."),
    Case("sig_thanks_name", "signature", f"{ANSWER}\n\nThanks!\nRosa\n", ANSWER, "Thanks!\nRosa"),
    Case(
        "sig_regards_block",
        "signature",
        f"{ANSWER}\n\nBest regards,\n\nRosa Ibáñez\nExecutive Director\n",
        ANSWER,
        "Best regards,\n\nRosa Ibáñez\nExecutive Director",
    ),
    Case("sig_german_closing", "signature", f"{ANSWER}\n\nViele Grüße\nRosa\n", ANSWER),
    Case("sig_same_line", "signature", f"{ANSWER}\n\nThanks, Rosa\n", ANSWER, "Thanks, Rosa"),
    Case(
        "sig_name_block",
        "signature",
        f"{ANSWER}\n\nRosa Ibáñez\nExecutive Director, Better Schools Now\n(555) 010-2233\n",
        ANSWER,
    ),
    Case(
        "sig_list_footer",
        "signature",
        f"{ANSWER}\n\n-Rosa\n\n_______________________________________________\nboard-watch "
        "mailing list\nboard-watch@lists.example\nhttps://lists.example/listinfo/board-watch\n",
        ANSWER,
    ),
    Case(
        "mobile_iphone",
        "mobile",
        f"{ANSWER}\n\nSent from my iPhone\n",
        ANSWER,
        "Sent from my iPhone",
    ),
    Case("mobile_android_outlook", "mobile", f"{ANSWER}\n\nGet Outlook for Android\n", ANSWER),
    Case(
        "mobile_samsung", "mobile", f"{ANSWER}\n\nSent from my Samsung Galaxy smartphone.\n", ANSWER
    ),
    Case("mobile_yahoo", "mobile", f"{ANSWER}\n\nSent from Yahoo Mail on Android\n", ANSWER),
    Case("mobile_windows", "mobile", f"{ANSWER}\n\nSent from Mail for Windows\n", ANSWER),
    Case("mobile_de", "mobile", f"{ANSWER}\n\nVon meinem iPhone gesendet\n", ANSWER),
    Case(
        "mobile_de_android", "mobile", f"{ANSWER}\n\nGesendet von meinem Samsung Galaxy\n", ANSWER
    ),
    Case("mobile_fr", "mobile", f"{ANSWER}\n\nEnvoyé de mon iPhone\n", ANSWER),
    Case("mobile_es", "mobile", f"{ANSWER}\n\nEnviado desde mi iPhone\n", ANSWER),
    Case("mobile_it", "mobile", f"{ANSWER}\n\nInviato da iPhone\n", ANSWER),
    Case("mobile_nl", "mobile", f"{ANSWER}\n\nVerstuurd vanaf mijn iPhone\n", ANSWER),
    Case("mobile_pt", "mobile", f"{ANSWER}\n\nEnviado do meu iPhone\n", ANSWER),
    Case("mobile_sv", "mobile", f"{ANSWER}\n\nSkickat från min iPhone\n", ANSWER),
    Case("mobile_ja", "mobile", f"{ANSWER}\n\niPhoneから送信\n", ANSWER),
    Case("mobile_and_name", "mobile", f"{ANSWER}\n\n-Rosa\n\nSent from my iPad\n", ANSWER),
    # Sentences that stay.
    Case(
        "sentence_sent_from",
        "not a signature",
        f"{ANSWER}\n\nSent from my desk at the district office, where the Wi-Fi works.\n",
        f"{ANSWER}\n\nSent from my desk at the district office, where the Wi-Fi works.",
    ),
    Case(
        "last_paragraph_with_office",
        "not a signature",
        f"{ANSWER}\n\nI will be in the office tomorrow.\nCall me there.\n",
        f"{ANSWER}\n\nI will be in the office tomorrow.\nCall me there.",
    ),
    Case(
        "last_paragraph_with_phone",
        "not a signature",
        f"{ANSWER}\n\nIf it moves again, call 555-010-2233.\n",
        f"{ANSWER}\n\nIf it moves again, call 555-010-2233.",
    ),
    Case(
        "thanks_alone",
        "not a signature",
        f"{ANSWER}\n\nThanks!\n",
        f"{ANSWER}\n\nThanks!",
    ),
    Case(
        "thanks_then_a_sentence",
        "not a signature",
        f"{ANSWER}\n\nThanks,\nlet me know if that works for the board.\n",
        f"{ANSWER}\n\nThanks,\nlet me know if that works for the board.",
    ),
    Case(
        "sign_off_with_another_name",
        "not a signature",
        f"{ANSWER}\n\nThanks,\nKevin\n",
        f"{ANSWER}\n\nThanks,\nKevin",
    ),
    Case(
        "a_list_at_the_end",
        "not a signature",
        "Things to bring:\n- Petition\n- Dana\n",
        "Things to bring:\n- Petition\n- Dana",
    ),
    Case(
        "dividers_between_sections",
        "not a signature",
        "Agenda\n---\nThe bond and the charter.\n---\nWe will vote on the bond first, then take "
        "public comment on the charter for an hour.\n",
        "Agenda\n---\nThe bond and the charter.\n---\nWe will vote on the bond first, then take "
        "public comment on the charter for an hour.",
    ),
    Case(
        "dashes_in_a_sentence",
        "not a signature",
        "The vote -- as you know -- moved.\n\nSee you.\n",
        "The vote -- as you know -- moved.\n\nSee you.",
    ),
]

_GMAIL_ATTR = "On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield &lt;dana@district.example&gt; wrote:"
_THEIRS = "Is the vote still on Tuesday?"
_OUTLOOK_HEADER = (
    "<b>From:</b> Dana Whitfield &lt;dana@district.example&gt;<br><b>Sent:</b> Monday, March 3, "
    "2025 4:02 PM<br><b>To:</b> Rosa Ib&aacute;&ntilde;ez<br><b>Subject:</b> Vote"
)


def _html(name: str, html: str, authored: str = ANSWER, family: str = "html") -> Case:
    return Case(name, family, html, authored, html=True)


CASES += [
    _html(
        "html_gmail",
        f'<div dir="ltr">{ANSWER}</div><br><div class="gmail_quote"><div dir="ltr" '
        f'class="gmail_attr">{_GMAIL_ATTR}<br></div><blockquote class="gmail_quote" '
        f'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
        f'<div dir="ltr">{_THEIRS}</div></blockquote></div>',
    ),
    _html(
        "html_gmail_bottom",
        f'<div dir="ltr"><div>Hi Dana,</div><br><div class="gmail_quote"><div class="gmail_attr">'
        f'{_GMAIL_ATTR}</div><blockquote class="gmail_quote"><div>{_THEIRS}</div></blockquote>'
        f"</div><div>{ANSWER}</div></div>",
        f"Hi Dana,\n\n{ANSWER}",
    ),
    _html(
        "html_gmail_forward",
        '<div dir="ltr">FYI<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
        "---------- Forwarded message ---------<br>From: <strong>Dana Whitfield</strong> "
        "&lt;dana@district.example&gt;<br>Date: Mon, Mar 3, 2025 at 4:02 PM<br>Subject: Vote<br>"
        f'To: Rosa &lt;rosa@bsn.example&gt;<br></div><br><div dir="ltr">{_THEIRS}</div></div>'
        "</div>",
        "FYI",
    ),
    _html(
        "html_outlook_desktop",
        f'<html><body><div class="WordSection1"><p class="MsoNormal">{ANSWER}<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid '
        f'#E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal">{_OUTLOOK_HEADER}</p>'
        f'</div></div><p class="MsoNormal">{_THEIRS}</p></div></body></html>',
    ),
    _html(
        "html_outlook_german",
        f'<div class="WordSection1"><p class="MsoNormal">{ANSWER}</p><div style="border:none;'
        'border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Von:'
        "</b> Dana Whitfield<br><b>Gesendet:</b> Montag, 3. März 2025 16:02<br><b>An:</b> Rosa<br>"
        '<b>Betreff:</b> Abstimmung</p></div><p class="MsoNormal">Noch am Dienstag?</p></div>',
    ),
    _html(
        "html_outlook_2003",
        f'<div><p>{ANSWER}</p><div class="MsoNormal" align="center" style="text-align:center">'
        '<font size="3"><span><hr size="2" width="100%" align="center" tabindex="-1"></span>'
        f"</font></div><p><b><span>From:</span></b> Dana Whitfield<br><b>Sent:</b> Monday, March 3,"
        f" 2025 4:02 PM<br><b>To:</b> Rosa<br><b>Subject:</b> Vote</p><p>{_THEIRS}</p></div>",
    ),
    _html(
        "html_outlook_web",
        f'<div dir="ltr">{ANSWER}</div><div id="appendonsend"></div><hr style="display:'
        f'inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font>'
        f"{_OUTLOOK_HEADER}"
        f"</font><div>&nbsp;</div></div><div>{_THEIRS}</div>",
    ),
    _html(
        "html_outlook_web_x",
        f'<div>{ANSWER}</div><hr style="display:inline-block;width:98%"><div id="x_divRplyFwdMsg">'
        f"<font>{_OUTLOOK_HEADER}</font></div><div>{_THEIRS}</div>",
    ),
    _html(
        "html_outlook_mac",
        f'<div>{ANSWER}</div><div><br></div><span id="OLK_SRC_BODY_SECTION"><div style="font-family'
        ':Calibri"><span style="font-weight:bold">From: </span>Dana Whitfield<br><span style="font'
        '-weight:bold">Date: </span>Monday, March 3, 2025 at 4:02 PM<br><span style="font-weight:'
        f'bold">To: </span>Rosa<br></div><div><br></div><div>{_THEIRS}</div></span>',
    ),
    _html(
        "html_apple",
        f'<html><body><div>{ANSWER}</div><div><br><blockquote type="cite"><div>On Mar 3, 2025, at '
        '4:02 PM, Dana Whitfield &lt;dana@district.example&gt; wrote:</div><br class="Apple-'
        f'interchange-newline"><div>{_THEIRS}</div></blockquote></div></body></html>',
    ),
    _html(
        "html_apple_inline",
        "<html><body><div>On Mar 3, 2025, at 4:02 PM, Dana Whitfield &lt;dana@district.example&gt;"
        f' wrote:</div><blockquote type="cite"><div>{_THEIRS}</div></blockquote><div>No, Thursday.'
        '</div><blockquote type="cite"><div>And the room?</div></blockquote><div>Room 204.</div>'
        "</body></html>",
        "No, Thursday.\n\nRoom 204.",
    ),
    _html(
        "html_thunderbird",
        f'<html><body><p>{ANSWER}</p><div class="moz-cite-prefix">On 3/3/25 4:02 PM, Dana '
        'Whitfield wrote:<br></div><blockquote type="cite" cite="mid:a1@district.example"><p>'
        f"{_THEIRS}</p></blockquote></body></html>",
    ),
    _html(
        "html_yahoo",
        f'<div>{ANSWER}</div><div id="yahoo_quoted_1234" class="yahoo_quoted"><div style="font-'
        'family:Helvetica"><div>On Monday, March 3, 2025, 04:02:11 PM PST, Dana Whitfield &lt;dana'
        f'@district.example&gt; wrote:</div><div><br></div><div><div dir="ltr">{_THEIRS}</div>'
        "</div></div></div>",
    ),
    _html(
        "html_mail_ru",
        f"<HTML><BODY><p>{ANSWER}</p><br><br>Понедельник, 3 марта 2025, 16:02 +03:00 от Dana "
        'Whitfield &lt;dana@district.example&gt;:<br><blockquote style="border-left:1px solid '
        f'#0857A6; margin:10px; padding:0 0 0 10px;"><div>{_THEIRS}</div></blockquote><br></BODY>'
        "</HTML>",
    ),
    _html(
        "html_yandex",
        f'<p>{ANSWER}<br /><br />03.03.2025, 16:02, "Dana Whitfield" &lt;<a href="mailto:dana@'
        f'district.example">dana@district.example</a>&gt;:</p><blockquote>{_THEIRS}</blockquote>',
    ),
    _html(
        "html_windows_mail",
        f'<div dir="ltr"><div>{ANSWER}</div><div><br></div><div style="padding-top: 5px; border-top'
        '-color: rgb(229, 229, 229); border-top-width: 1px; border-top-style: solid;"><div><font>'
        "<b>От:</b>&nbsp;Dana Whitfield<br><b>Отправлено:</b>&nbsp;3 марта 2025 г. 16:02<br><b>"
        f"Кому:</b>&nbsp;Rosa</font></div></div><div><br></div><div>{_THEIRS}</div></div>",
    ),
    _html(
        "html_hotmail",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<html><body class='hmmessage'><div dir='ltr'>{ANSWER}<div><hr id=\"stopSpelling\">Date: "
        "Mon, 3 Mar 2025 16:02:11 -0800<br>Subject: Vote<br>From: dana@district.example<br>To: "
        f"rosa@bsn.example<br><br><div>{_THEIRS}</div></div></div></body></html>",
    ),
    _html(
        "html_zimbra",
        f'<div>{ANSWER}</div><hr data-marker="__DIVIDER__"><div data-marker="__HEADERS__"><b>From: '
        "</b>Dana Whitfield<br><b>Sent: </b>Monday, March 3, 2025 4:02:11 PM<br><b>Subject: </b>"
        f'Vote</div><div data-marker="__QUOTED_TEXT__">{_THEIRS}</div>',
    ),
    _html(
        "html_plain_blockquote_is_kept",
        "<div>The report says:</div><blockquote>The district will close two schools.</blockquote>"
        "<div>That is news.</div>",
        "The report says:\nThe district will close two schools.\nThat is news.",
    ),
    _html(
        "html_gmail_blockquote_without_attribution_is_kept",
        '<div>The minutes say:</div><blockquote class="gmail_quote"><div>The board tabled the '
        "bond.</div></blockquote><div>So no vote yet.</div>",
        "The minutes say:\nThe board tabled the bond.\nSo no vote yet.",
    ),
    _html(
        "html_gmail_block_around_the_text_is_kept",
        '<div dir="ltr"><div>Dana,</div><div class="gmail_quote gmail_quote_container"><div '
        f'class="gmail_signature">{ANSWER} Is the room free?</div></div></div>',
        f"Dana,\n{ANSWER} Is the room free?",
    ),
]
