"""The words mail clients write around quoted history, per language, as data in one place.

Header labels ("From:", "Von:", "发件人:"), attribution lines ("On … wrote:", "El … escribió:"),
separators ("-----Original Message-----", "Ursprüngliche Nachricht"), mobile signatures ("Sent
from my iPhone", "Von meinem iPhone gesendet"), sign-offs ("Thanks,", "Mit freundlichen
Grüßen") and month names. Both the mail splitter (analysis/quotes.py) and the printed-header
reader (ingest/printed/printed.py) read these tables, so a language added here is known to
both. To add one: a row in each table below; nothing else.

Sources: each client's localized strings as they appear in real mail (Outlook desktop and web,
Gmail, Apple Mail, Thunderbird, Yahoo, mail.ru, Yandex); keep each entry as the client prints it.
"""

from __future__ import annotations

import re
import unicodedata

# Header labels of a quoted or printed header block, per language: label as printed -> field.
# Fields: from, date, to, cc, bcc, subject, attachments, importance, reply_to.
HEADER_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "From": "from",
        "Sent": "date",
        "Date": "date",
        "To": "to",
        "Cc": "cc",
        "Bcc": "bcc",
        "Subject": "subject",
        "Attachments": "attachments",
        "Importance": "importance",
        "Reply-To": "reply_to",
    },
    "de": {
        "Von": "from",
        "Gesendet": "date",
        "Datum": "date",
        "An": "to",
        "Cc": "cc",
        "Bcc": "bcc",
        "Betreff": "subject",
        "Anlagen": "attachments",
        "Wichtigkeit": "importance",
        "Antwort an": "reply_to",
    },
    "fr": {
        "De": "from",
        "Envoyé": "date",
        "Envoyé le": "date",
        "Date": "date",
        "À": "to",
        "A": "to",
        "Cc": "cc",
        "Cci": "bcc",
        "Objet": "subject",
        "Pièces jointes": "attachments",
        "Importance": "importance",
        "Répondre à": "reply_to",
    },
    "es": {
        "De": "from",
        "Enviado": "date",
        "Enviado el": "date",
        "Fecha": "date",
        "Para": "to",
        "CC": "cc",
        "CCO": "bcc",
        "Asunto": "subject",
        "Datos adjuntos": "attachments",
        "Importancia": "importance",
        "Responder a": "reply_to",
    },
    "pt": {
        "De": "from",
        "Enviado": "date",
        "Enviada em": "date",
        "Enviado em": "date",
        "Data": "date",
        "Para": "to",
        "Cc": "cc",
        "Cco": "bcc",
        "Assunto": "subject",
        "Anexos": "attachments",
        "Importância": "importance",
        "Responder a": "reply_to",
    },
    "it": {
        "Da": "from",
        "Inviato": "date",
        "Inviato il": "date",
        "Data": "date",
        "A": "to",
        "Cc": "cc",
        "Ccn": "bcc",
        "Oggetto": "subject",
        "Allegati": "attachments",
        "Priorità": "importance",
        "Rispondi a": "reply_to",
    },
    "nl": {
        "Van": "from",
        "Verzonden": "date",
        "Datum": "date",
        "Aan": "to",
        "CC": "cc",
        "BCC": "bcc",
        "Onderwerp": "subject",
        "Bijlagen": "attachments",
        "Urgentie": "importance",
        "Beantwoorden": "reply_to",
    },
    "da": {
        "Fra": "from",
        "Sendt": "date",
        "Dato": "date",
        "Til": "to",
        "Cc": "cc",
        "Bcc": "bcc",
        "Emne": "subject",
        "Vedhæftede filer": "attachments",
    },
    "nb": {
        "Fra": "from",
        "Sendt": "date",
        "Dato": "date",
        "Til": "to",
        "Kopi": "cc",
        "Blindkopi": "bcc",
        "Emne": "subject",
        "Vedlegg": "attachments",
    },
    "sv": {
        "Från": "from",
        "Skickat": "date",
        "Datum": "date",
        "Till": "to",
        "Kopia": "cc",
        "Hemlig kopia": "bcc",
        "Ämne": "subject",
        "Bifogade filer": "attachments",
    },
    "fi": {
        "Lähettäjä": "from",
        "Lähetetty": "date",
        "Päivämäärä": "date",
        "Vastaanottaja": "to",
        "Kopio": "cc",
        "Piilokopio": "bcc",
        "Aihe": "subject",
        "Liitteet": "attachments",
    },
    "pl": {
        "Od": "from",
        "Wysłano": "date",
        "Wysłane": "date",
        "Data": "date",
        "Do": "to",
        "DW": "cc",
        "UDW": "bcc",
        "Temat": "subject",
        "Załączniki": "attachments",
    },
    "cs": {
        "Od": "from",
        "Odesláno": "date",
        "Datum": "date",
        "Komu": "to",
        "Kopie": "cc",
        "Skrytá kopie": "bcc",
        "Předmět": "subject",
        "Přílohy": "attachments",
    },
    "tr": {
        "Kimden": "from",
        "Gönderildi": "date",
        "Tarih": "date",
        "Kime": "to",
        "Bilgi": "cc",
        "Gizli": "bcc",
        "Konu": "subject",
        "Ekler": "attachments",
    },
    "ru": {
        "От": "from",
        "Отправлено": "date",
        "Дата": "date",
        "Кому": "to",
        "Копия": "cc",
        "Скрытая копия": "bcc",
        "Тема": "subject",
        "Вложения": "attachments",
    },
    "vi": {
        "Từ": "from",
        "Đã gửi": "date",
        "Ngày": "date",
        "Đến": "to",
        "Gửi tới": "to",
        "Cc": "cc",
        "Chủ đề": "subject",
        "Tệp đính kèm": "attachments",
    },
    "zh": {
        "发件人": "from",
        "發件人": "from",
        "寄件者": "from",
        "发送时间": "date",
        "發送時間": "date",
        "寄件日期": "date",
        "日期": "date",
        "收件人": "to",
        "收件者": "to",
        "抄送": "cc",
        "副本": "cc",
        "密送": "bcc",
        "密件副本": "bcc",
        "主题": "subject",
        "主題": "subject",
        "主旨": "subject",
        "附件": "attachments",
        "重要性": "importance",
    },
    "ja": {
        "差出人": "from",
        "送信者": "from",
        "送信日時": "date",
        "日付": "date",
        "宛先": "to",
        "CC": "cc",
        "BCC": "bcc",
        "件名": "subject",
        "添付ファイル": "attachments",
        "重要度": "importance",
    },
    "ko": {
        "보낸 사람": "from",
        "보낸사람": "from",
        "보낸 날짜": "date",
        "날짜": "date",
        "받는 사람": "to",
        "받는사람": "to",
        "참조": "cc",
        "숨은 참조": "bcc",
        "제목": "subject",
        "첨부": "attachments",
        "첨부 파일": "attachments",
        "중요도": "importance",
    },
}

# The boxes an e-discovery print puts around a record (the review platform's metadata, not a
# mail client's header): "Priority:" and "Type:" close the opening box, "Sender:", "Recipient:",
# "Sent Date:" and "Delivered Date:" make the closing one. Label as printed -> field.
RECORD_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "Sender": "sender",
        "Recipient": "recipient",
        "Recipients": "recipient",
        "Sent Date": "sent_date",
        "Delivered Date": "delivered_date",
        "Received Date": "delivered_date",
        "Priority": "priority",
        "Type": "type",
        "Message Class": "type",
        "Conversation": "conversation",
    },
    "zh": {"优先级": "priority", "類型": "type", "类型": "type"},
}

# Dates as the clients of other scripts print them: the words that stand for AM and PM (before
# the time: "下午2:25"), and the weekday names that dateutil cannot read (dropped).
DAY_HALVES: dict[str, dict[str, str]] = {
    "zh": {"上午": "AM", "下午": "PM", "凌晨": "AM", "中午": "PM", "晚上": "PM", "早上": "AM"},
    "ja": {"午前": "AM", "午後": "PM"},
    "ko": {"오전": "AM", "오후": "PM"},
}
WEEKDAYS: dict[str, list[str]] = {
    "zh": [f"{w}{d}" for w in ("星期", "周", "週", "礼拜", "禮拜") for d in "一二三四五六日天"],
    "ja": [f"{d}曜日" for d in "月火水木金土日"] + [f"({d})" for d in "月火水木金土日"],
    "ko": [f"{d}요일" for d in "월화수목금토일"],
}
# Year, month and day written after their numbers ("2022年4月7日", "2022년 4월 7일").
DATE_UNITS: dict[str, tuple[str, str, str]] = {
    "zh": ("年", "月", "日"),
    "ja": ("年", "月", "日"),
    "ko": ("년", "월", "일"),
}


def record_labels() -> dict[str, str]:
    """Every language's record-box labels in one map, keyed by the folded label."""
    return {fold_label(label): name for t in RECORD_LABELS.values() for label, name in t.items()}


# Attribution lines above quoted text: an opening (per language, may be empty) and the verb that
# ends the line ("wrote:"). The verb is what identifies the line; the opening narrows it.
ATTRIBUTION_VERBS: dict[str, list[str]] = {
    "en": ["wrote", "writes"],
    "de": ["schrieb", "hat geschrieben"],
    "fr": ["a écrit", "a ecrit", "nous a dit"],
    "es": ["escribió", "escribio"],
    "pt": ["escreveu"],
    "it": ["ha scritto", "scrisse"],
    "nl": ["schreef", "heeft geschreven", "het volgende geschreven"],
    "da": ["skrev"],
    "nb": ["skrev"],
    "sv": ["skrev"],
    "fi": ["kirjoitti"],
    "pl": ["napisał", "napisała", "napisał(a)", "pisze"],
    "cs": ["napsal", "napsala", "napsal(a)", "napsal(a) uživatel"],
    "tr": ["şunu yazdı", "yazdı"],
    "ru": ["пишет", "написал", "написала", "написал(а)"],
    "uk": ["пише", "написав", "написала"],
    "hu": ["írta", "ezt írta"],
    "el": ["έγραψε"],
    "ro": ["a scris"],
    "sk": ["napísal", "napísala"],
    "hr": ["je napisao", "je napisala"],
    "ca": ["va escriure"],
    "id": ["menulis"],
    "vi": ["đã viết"],
    "zh": ["写道", "寫道", "寫了"],
    "ja": ["のメッセージ", "は書きました", "さんは書きました"],
    "ko": ["작성", "님이 작성"],
}
ATTRIBUTION_OPENINGS: dict[str, list[str]] = {
    "en": ["On", "At"],
    "de": ["Am"],
    "fr": ["Le"],
    "es": ["El"],
    "pt": ["Em", "No dia"],
    "it": ["Il", "In data"],
    "nl": ["Op"],
    "da": ["Den"],
    "nb": ["Den"],
    "sv": ["Den"],
    "pl": ["W dniu", "Dnia"],
    "cs": ["Dne"],
    "vi": ["Vào"],
    "zh": ["在", "於"],
    "ru": ["пользователь"],
    "ca": ["El"],
}

# Lines that open quoted or forwarded history, as the clients write them between the dashes.
ORIGINAL_MESSAGE: dict[str, list[str]] = {
    "en": ["Original Message", "Original message", "Reply Message", "Original Email"],
    "de": ["Ursprüngliche Nachricht", "Originalnachricht", "Original-Nachricht"],
    "fr": ["Message d'origine", "Message original"],
    "es": ["Mensaje original"],
    "pt": ["Mensagem original"],
    "it": ["Messaggio originale"],
    "nl": ["Oorspronkelijk bericht", "Origineel bericht", "Oorspronkelijk Bericht"],
    "da": ["Oprindelig meddelelse", "Original meddelelse", "Oprindelig besked"],
    "nb": ["Opprinnelig melding", "Originalmelding"],
    "sv": ["Ursprungligt meddelande", "Originalmeddelande"],
    "fi": ["Alkuperäinen viesti"],
    "pl": ["Oryginalna wiadomość", "Wiadomość oryginalna"],
    "cs": ["Původní zpráva", "Původní e-mail"],
    "tr": ["Özgün İleti", "Orijinal Mesaj"],
    "ru": ["Исходное сообщение", "Оригинальное сообщение"],
    "vi": ["Thư gốc"],
    "zh": ["原始邮件", "原始郵件"],
    "ja": ["元のメッセージ", "Original Message"],
    "ko": ["원본 메시지", "원래 메시지"],
    "hu": ["Eredeti üzenet"],
    "el": ["Αρχικό μήνυμα"],
    "uk": ["Початкове повідомлення", "Вихідне повідомлення"],
    "ro": ["Mesaj original", "Mesajul original"],
}
FORWARDED_MESSAGE: dict[str, list[str]] = {
    "en": ["Forwarded message", "Forwarded Message", "Begin forwarded message", "Forwarded by"],
    "de": ["Weitergeleitete Nachricht", "Anfang der weitergeleiteten Nachricht"],
    "fr": ["Message transféré", "Début du message réexpédié", "Début du message transféré"],
    "es": ["Mensaje reenviado", "Inicio del mensaje reenviado"],
    "pt": ["Mensagem encaminhada", "Início da mensagem reencaminhada"],
    "it": ["Messaggio inoltrato", "Inizio messaggio inoltrato"],
    "nl": ["Doorgestuurd bericht", "Begin doorgestuurd bericht"],
    "da": ["Videresendt meddelelse", "Videresendt besked", "Start på videresendt besked"],
    "nb": ["Videresendt melding", "Videresendt e-post"],
    "sv": ["Vidarebefordrat meddelande", "Vidarebefordrat brev"],
    "fi": ["Välitetty viesti"],
    "pl": ["Wiadomość przekazana dalej", "Przekazana wiadomość"],
    "cs": ["Přeposlaná zpráva"],
    "tr": ["İletilen ileti"],
    "ru": ["Пересланное сообщение", "Пересылаемое сообщение"],
    "vi": ["Thư được chuyển tiếp"],
    "zh": ["转发的邮件", "轉寄的郵件", "转发邮件"],
    "ja": ["転送されたメッセージ", "転送メッセージ"],
    "ko": ["전달된 메시지"],
    "hu": ["Továbbított üzenet"],
    "uk": ["Переслане повідомлення"],
    "ro": ["Mesaj redirecționat"],
}

# Mobile and client signatures: "Sent from my iPhone" and the same in other languages. Each is
# a phrase that must be followed by a device or client name (DEVICES), so that an ordinary
# sentence ("Sent from my desk at the district office") is not taken for one.
MOBILE_PHRASES: dict[str, list[str]] = {
    "en": [
        "Sent from my",
        "Sent from",
        "Sent via",
        "Sent with",
        "Sent using",
        "Sent wirelessly from my",
        "Sent on the go from my",
    ],
    "de": ["Von meinem", "Gesendet von meinem", "Gesendet von", "Gesendet mit"],
    "fr": [
        "Envoyé de mon",
        "Envoyé depuis mon",
        "Envoyé depuis",
        "Envoyé à partir de",
        "Envoyé avec",
        "Envoyé sans fil par mon",
    ],
    "es": ["Enviado desde mi", "Enviado desde", "Enviado con"],
    "pt": ["Enviado do meu", "Enviado do", "Enviado de meu", "Enviado de"],
    "it": ["Inviato da", "Inviato dal mio", "Inviato con"],
    "nl": [
        "Verzonden vanaf mijn",
        "Verstuurd vanaf mijn",
        "Verzonden vanaf",
        "Verstuurd vanaf",
        "Verzonden met",
    ],
    "da": ["Sendt fra min", "Sendt fra"],
    "nb": ["Sendt fra min", "Sendt fra"],
    "sv": ["Skickat från min", "Skickat från"],
    "fi": ["Lähetetty"],
    "pl": ["Wysłane z mojego", "Wysłane z", "Wysłano z"],
    "cs": ["Odesláno z", "Odesláno ze"],
    "tr": [],
    "ru": ["Отправлено с моего", "Отправлено с", "Отправлено из"],
    "uk": ["Надіслано з"],
    "hu": ["Elküldve"],
    "vi": ["Gửi từ"],
    "zh": ["发自我的", "從我的", "发自", "从我的", "寄自我的"],
    "ja": [],
    "ko": [],
}
# The line Outlook's apps add, the client named right after the verb: "Get Outlook for iOS".
MOBILE_APP_LINES: dict[str, list[str]] = {
    "en": ["Get Outlook for", "Get the Outlook app"],
    "de": ["Outlook für"],
    "fr": ["Télécharger Outlook pour", "Obtenir Outlook pour"],
    "es": ["Obtener Outlook para", "Descargar Outlook para"],
    "pt": ["Obter o Outlook para", "Baixe o Outlook para"],
    "it": ["Scarica Outlook per", "Ottieni Outlook per"],
    "nl": ["Outlook voor", "Download Outlook voor"],
}
# Suffix forms, where the device comes first: "Von meinem iPhone gesendet", "iPhoneから送信".
MOBILE_SUFFIXES: list[str] = [
    "gesendet",
    "から送信",
    "에서 보냄",
    "에서 보냈습니다",
    "lähetetty",
    "送信",
    "发送",
    "傳送",
    "gönderildi",
    "beziehen",
    "downloaden",
]
DEVICES: list[str] = [
    "iPhone",
    "iPad",
    "Android",
    "BlackBerry",
    "Samsung",
    "Galaxy",
    "Huawei",
    "Xiaomi",
    "Pixel",
    "Nokia",
    "Windows Phone",
    "Mail for Windows",
    "Mail für Windows",
    "Mail pour Windows",
    "Correo para Windows",
    "Outlook",
    "Outlook for iOS",
    "Outlook for Android",
    "Yahoo Mail",
    "Gmail",
    "Mailbox",
    "ProtonMail",
    "Proton Mail",
    "Spark",
    "AOL",
    "Verizon",
    "HTC",
    "Motorola",
    "Sony",
    "OnePlus",
    "Surface",
    "Windows",
    "iOS",
    "Mail",
    "Airmail",
    "BlueMail",
    "Edison",
    "Newton",
    "Superhuman",
    "Hey",
    "mobile",
    "smartphone",
    "phone",
    "tablet",
    "Handy",
    "téléphone",
    "móvil",
    "celular",
    "telefono",
    "cellulare",
    "mobiel",
    "mobil",
    "telefon",
    "телефона",
    "手机",
    "手機",
    "terminal",
    "appareil",
    "portable",
    "dispositivo",
    "device",
]

# Attribution verbs that may stand before the sender's name, the line still ending in a colon:
# "Am 18.09.2013 um 16:24 schrieb Carl Vance <c@x>:", "Den 3. mar. 2016 kl. 17.21 skrev …:",
# "Carl Vance <c@x> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:", "Dne … napsal uživatel …:".
# Elsewhere the verb ends the line ("… wrote:"), so that a sentence is not taken for one.
ATTRIBUTION_VERBS_BEFORE_NAME: list[str] = [
    "schrieb",
    "schreef",
    "skrev",
    "napsal",
    "napísal",
    "wrote on",
    "ezt írta",
    "escribió el",
    "a écrit le",
]
# Openings of attribution lines that need no date: Horde's and similar web mail's
# "Quoting Carl Vance <c@x>:".
QUOTING_OPENINGS: dict[str, list[str]] = {
    "en": ["Quoting"],
    "de": ["Zitat von"],
    "fr": ["Citation de"],
    "es": ["Citando a", "Citando"],
    "pt": ["Citando"],
    "it": ["Citazione di"],
    "nl": ["Citaat van"],
}

# Sign-offs: a line that is only one of these (a comma or "!" after it), followed by the sender's
# name, opens a signature block ("Thanks,\nRosa"). Alone, or followed by anything else, it is
# what the sender wrote.
SIGN_OFFS: dict[str, list[str]] = {
    "en": [
        "Thanks",
        "Thank you",
        "Thanks again",
        "Thanks so much",
        "Thanks in advance",
        "Many thanks",
        "Regards",
        "Best regards",
        "Kind regards",
        "Warm regards",
        "Warmest regards",
        "With regards",
        "Best",
        "All best",
        "All the best",
        "Best wishes",
        "Cheers",
        "Sincerely",
        "Yours",
        "Yours truly",
        "Yours sincerely",
        "Respectfully",
        "Cordially",
        "Take care",
        "Talk soon",
        "Thx",
        "BR",
    ],
    "de": [
        "Mit freundlichen Grüßen",
        "Mit freundlichen Grüssen",
        "Freundliche Grüße",
        "Viele Grüße",
        "Beste Grüße",
        "Liebe Grüße",
        "Herzliche Grüße",
        "Schöne Grüße",
        "Grüße",
        "Gruß",
        "Danke",
        "Vielen Dank",
        "MfG",
        "LG",
        "VG",
    ],
    "fr": [
        "Cordialement",
        "Bien cordialement",
        "Bien à vous",
        "Merci",
        "Merci beaucoup",
        "Amitiés",
        "Salutations",
        "Bonne journée",
        "Bonne soirée",
    ],
    "es": [
        "Saludos",
        "Un saludo",
        "Saludos cordiales",
        "Atentamente",
        "Gracias",
        "Muchas gracias",
        "Cordialmente",
        "Un abrazo",
        "Abrazos",
    ],
    "pt": ["Obrigado", "Obrigada", "Atenciosamente", "Abraços", "Cumprimentos", "Abraço"],
    "it": ["Cordiali saluti", "Distinti saluti", "Saluti", "Grazie", "Grazie mille", "Ciao"],
    "nl": ["Met vriendelijke groet", "Met vriendelijke groeten", "Groeten", "Groet", "Bedankt"],
    "da": ["Med venlig hilsen", "Venlig hilsen", "Mvh", "Hilsen", "Tak"],
    "nb": ["Med vennlig hilsen", "Vennlig hilsen", "Hilsen", "Takk"],
    "sv": ["Med vänlig hälsning", "Vänliga hälsningar", "Hälsningar", "Mvh", "Tack"],
    "fi": ["Ystävällisin terveisin", "Terveisin", "Kiitos"],
    "pl": ["Pozdrawiam", "Z poważaniem", "Dziękuję", "Pozdrowienia"],
    "cs": ["S pozdravem", "Děkuji", "Díky"],
    "tr": ["Saygılarımla", "Teşekkürler", "İyi çalışmalar"],
    "ru": ["С уважением", "Спасибо", "С наилучшими пожеланиями", "Всего доброго"],
    "uk": ["З повагою", "Дякую"],
    "hu": ["Üdvözlettel", "Köszönöm", "Üdv"],
    "zh": ["此致", "谢谢", "謝謝", "祝好", "顺祝商祺"],
    "ja": ["よろしくお願いします", "よろしくお願いいたします", "宜しくお願いします"],
    "ko": ["감사합니다", "고맙습니다"],
    "vi": ["Trân trọng", "Cảm ơn", "Thân"],
}

# Month names of the languages above, for printed and quoted dates (dateutil reads English).
MONTHS: dict[str, str] = {
    **dict.fromkeys(["januar", "janvier", "enero", "janeiro", "gennaio", "januari"], "January"),
    **dict.fromkeys(
        ["februar", "février", "febrero", "fevereiro", "febbraio", "februari"], "February"
    ),
    **dict.fromkeys(["märz", "mars", "marzo", "março", "maart", "mars"], "March"),
    **dict.fromkeys(["avril", "abril", "aprile"], "April"),
    **dict.fromkeys(["mai", "mayo", "maio", "maggio", "mei", "maj"], "May"),
    **dict.fromkeys(["juni", "juin", "junio", "junho", "giugno"], "June"),
    **dict.fromkeys(["juli", "juillet", "julio", "julho", "luglio"], "July"),
    **dict.fromkeys(["août", "agosto", "augustus", "augusti"], "August"),
    **dict.fromkeys(["septembre", "septiembre", "setembro", "settembre"], "September"),
    **dict.fromkeys(["oktober", "octobre", "octubre", "outubro", "ottobre"], "October"),
    **dict.fromkeys(["novembre", "noviembre", "novembro"], "November"),
    **dict.fromkeys(
        ["dezember", "décembre", "diciembre", "dezembro", "dicembre", "december"], "December"
    ),
}


def header_labels() -> dict[str, str]:
    """Every language's header labels in one map, keyed by the label folded (case and accents
    off, spaces single): a label means the same field in every language that uses it."""
    labels: dict[str, str] = {}
    for table in HEADER_LABELS.values():
        for label, name in table.items():
            labels[fold_label(label)] = name
    return labels


def fold_label(label: str) -> str:
    """A label as compared: lower case, accents off, inner spaces single, no trailing colon."""
    text = unicodedata.normalize("NFKD", label.strip().rstrip(":：").strip())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any run of them."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


def every(table: dict[str, list[str]]) -> list[str]:
    """All the phrases of a per-language table, once each."""
    return sorted({phrase for phrases in table.values() for phrase in phrases})


# Month names per language, January to December, each as the clients print it: full names,
# the genitive where a date uses it ("3 марта", "3. března"), and the short forms (a dot after
# one is read too). The reader of quoted dates (ingest/dates.py) reads a month word only in the
# languages the line is written in (its attribution verb, its header labels), English too;
# where the language is not known, only a word that means one month in every table here.
MONTH_NAMES: dict[str, list[str]] = {
    "en": [
        "January Jan",
        "February Feb",
        "March Mar",
        "April Apr",
        "May",
        "June Jun",
        "July Jul",
        "August Aug",
        "September Sep Sept",
        "October Oct",
        "November Nov",
        "December Dec",
    ],
    "de": [
        "Januar Jan Jänner Jän",
        "Februar Feb",
        "März Mär Mrz",
        "April Apr",
        "Mai",
        "Juni Jun",
        "Juli Jul",
        "August Aug",
        "September Sep Sept",
        "Oktober Okt",
        "November Nov",
        "Dezember Dez",
    ],
    "fr": [
        "janvier janv",
        "février févr",
        "mars",
        "avril avr",
        "mai",
        "juin",
        "juillet juil",
        "août",
        "septembre sept",
        "octobre oct",
        "novembre nov",
        "décembre déc",
    ],
    "es": [
        "enero ene",
        "febrero feb",
        "marzo mar",
        "abril abr",
        "mayo may",
        "junio jun",
        "julio jul",
        "agosto ago",
        "septiembre setiembre sept sep",
        "octubre oct",
        "noviembre nov",
        "diciembre dic",
    ],
    "pt": [
        "janeiro jan",
        "fevereiro fev",
        "março mar",
        "abril abr",
        "maio mai",
        "junho jun",
        "julho jul",
        "agosto ago",
        "setembro set",
        "outubro out",
        "novembro nov",
        "dezembro dez",
    ],
    "it": [
        "gennaio gen",
        "febbraio feb",
        "marzo mar",
        "aprile apr",
        "maggio mag",
        "giugno giu",
        "luglio lug",
        "agosto ago",
        "settembre set",
        "ottobre ott",
        "novembre nov",
        "dicembre dic",
    ],
    "nl": [
        "januari jan",
        "februari feb",
        "maart mrt",
        "april apr",
        "mei",
        "juni jun",
        "juli jul",
        "augustus aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "december dec",
    ],
    "da": [
        "januar jan",
        "februar feb",
        "marts mar",
        "april apr",
        "maj",
        "juni jun",
        "juli jul",
        "august aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "december dec",
    ],
    "nb": [
        "januar jan",
        "februar feb",
        "mars mar",
        "april apr",
        "mai",
        "juni jun",
        "juli jul",
        "august aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "desember des",
    ],
    "sv": [
        "januari jan",
        "februari feb",
        "mars mar",
        "april apr",
        "maj",
        "juni jun",
        "juli jul",
        "augusti aug",
        "september sep sept",
        "oktober okt",
        "november nov",
        "december dec",
    ],
    "fi": [
        "tammikuuta tammikuu tammik",
        "helmikuuta helmikuu helmik",
        "maaliskuuta maaliskuu maalisk",
        "huhtikuuta huhtikuu huhtik",
        "toukokuuta toukokuu toukok",
        "kesäkuuta kesäkuu kesäk",
        "heinäkuuta heinäkuu heinäk",
        "elokuuta elokuu elok",
        "syyskuuta syyskuu syysk",
        "lokakuuta lokakuu lokak",
        "marraskuuta marraskuu marrask",
        "joulukuuta joulukuu jouluk",
    ],
    "pl": [
        "stycznia styczeń sty",
        "lutego luty lut",
        "marca marzec mar",
        "kwietnia kwiecień kwi",
        "maja maj",
        "czerwca czerwiec cze",
        "lipca lipiec lip",
        "sierpnia sierpień sie",
        "września wrzesień wrz",
        "października październik paź",
        "listopada listopad lis",
        "grudnia grudzień gru",
    ],
    "cs": [
        "ledna leden led",
        "února únor úno",
        "března březen bře",
        "dubna duben dub",
        "května květen kvě",
        "června červen čvn",
        "července červenec čvc",
        "srpna srpen srp",
        "září zář",
        "října říjen říj",
        "listopadu listopad lis",
        "prosince prosinec pro",
    ],
    "sk": [
        "januára január jan",
        "februára február feb",
        "marca marec mar",
        "apríla apríl apr",
        "mája máj",
        "júna jún",
        "júla júl",
        "augusta august aug",
        "septembra september sep",
        "októbra október okt",
        "novembra november nov",
        "decembra december dec",
    ],
    "hr": [
        "siječnja siječanj sij",
        "veljače veljača velj",
        "ožujka ožujak ožu",
        "travnja travanj tra",
        "svibnja svibanj svi",
        "lipnja lipanj lip",
        "srpnja srpanj srp",
        "kolovoza kolovoz kol",
        "rujna rujan ruj",
        "listopada listopad lis",
        "studenoga studenog studeni stu",
        "prosinca prosinac pro",
    ],
    "tr": [
        "Ocak Oca",
        "Şubat Şub",
        "Mart Mar",
        "Nisan Nis",
        "Mayıs May",
        "Haziran Haz",
        "Temmuz Tem",
        "Ağustos Ağu",
        "Eylül Eyl",
        "Ekim Eki",
        "Kasım Kas",
        "Aralık Ara",
    ],
    "ru": [
        "января январь янв",
        "февраля февраль февр фев",
        "марта март мар",
        "апреля апрель апр",
        "мая май",
        "июня июнь июн",
        "июля июль июл",
        "августа август авг",
        "сентября сентябрь сент сен",
        "октября октябрь окт",
        "ноября ноябрь нояб ноя",
        "декабря декабрь дек",
    ],
    "uk": [
        "січня січень січ",
        "лютого лютий лют",
        "березня березень бер",
        "квітня квітень квіт кві",
        "травня травень трав тра",
        "червня червень черв чер",
        "липня липень лип",
        "серпня серпень серп сер",
        "вересня вересень вер",
        "жовтня жовтень жовт жов",
        "листопада листопад лист лис",
        "грудня грудень груд гру",
    ],
    "hu": [
        "január jan",
        "február febr feb",
        "március márc",
        "április ápr",
        "május máj",
        "június jún",
        "július júl",
        "augusztus aug",
        "szeptember szept",
        "október okt",
        "november nov",
        "december dec",
    ],
    "el": [
        "Ιανουαρίου Ιανουάριος Ιαν",
        "Φεβρουαρίου Φεβρουάριος Φεβ",
        "Μαρτίου Μάρτιος Μαρ",
        "Απριλίου Απρίλιος Απρ",
        "Μαΐου Μάιος Μαΐ Μαι",
        "Ιουνίου Ιούνιος Ιουν",
        "Ιουλίου Ιούλιος Ιουλ",
        "Αυγούστου Αύγουστος Αυγ",
        "Σεπτεμβρίου Σεπτέμβριος Σεπ",
        "Οκτωβρίου Οκτώβριος Οκτ",
        "Νοεμβρίου Νοέμβριος Νοε",
        "Δεκεμβρίου Δεκέμβριος Δεκ",
    ],
    "ro": [
        "ianuarie ian",
        "februarie feb",
        "martie mar",
        "aprilie apr",
        "mai",
        "iunie iun",
        "iulie iul",
        "august aug",
        "septembrie sept",
        "octombrie oct",
        "noiembrie nov noi",
        "decembrie dec",
    ],
    "ca": [
        "gener gen",
        "febrer febr",
        "març",
        "abril abr",
        "maig",
        "juny",
        "juliol jul",
        "agost ag",
        "setembre set",
        "octubre oct",
        "novembre nov",
        "desembre des",
    ],
    "id": [
        "Januari Jan",
        "Februari Feb",
        "Maret Mar",
        "April Apr",
        "Mei",
        "Juni Jun",
        "Juli Jul",
        "Agustus Agu Agt",
        "September Sep",
        "Oktober Okt",
        "November Nov Nop",
        "Desember Des",
    ],
    # Vietnamese numbers its months: "3 thg 3, 2025" (Gmail), "ngày 3 tháng 3 năm 2025".
    "vi": [f"tháng_{n} thg_{n}" for n in range(1, 13)],
}
# Weekday names that could be read as something else in a date: a month's short form in the
# same language ("mar" is martes and marzo) or a number ("Th 2", Vietnamese Monday). Words of a
# date that are in no table are passed over; these are passed over even where they look like a
# month, when the date has a month word besides.
WEEKDAY_NAMES: dict[str, list[str]] = {
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "it": ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
    "fr": ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
    "ca": ["dl", "dt", "dc", "dj", "dv", "ds", "dg"],
    "vi": [f"{w}_{n}" for w in ("Th", "Thứ", "T") for n in range(2, 8)] + ["CN", "Chủ_Nhật"],
}
# The order of a date written in numbers, per language: "03/04/2025" is 4 March in French,
# 3 April in American English. Dotted dates ("03.04.2025") are day first in every language
# here; year-first dates ("2025-03-04", "2025/03/04", "2025. 03. 04.") read themselves.
DATE_ORDER: dict[str, str] = {
    "en": "MDY",
    **dict.fromkeys(
        "de fr es pt it nl da nb fi pl cs sk hr tr ru uk el ro ca id vi".split(), "DMY"
    ),
    **dict.fromkeys("sv hu zh ja ko".split(), "YMD"),
}
# Words for AM and PM written after the time ("4:02 p. m.", "4:02 CH"); English AM/PM are
# read everywhere, and DAY_HALVES above holds those written before it ("下午4:02").
DAY_HALVES_AFTER: dict[str, dict[str, str]] = {
    "es": {"a. m.": "AM", "p. m.": "PM", "a.m.": "AM", "p.m.": "PM"},
    "pt": {"a.m.": "AM", "p.m.": "PM"},
    "vi": {"SA": "AM", "CH": "PM"},
}
# Words between an attribution's date and its sender that are not part of the name: Gmail's
# Czech "… v 16:02 odesílatel Dana <d@x> napsal:", mail.ru's "… 16:02 +03:00 от Dana <d@x>:".
ATTRIBUTION_SENDER_WORDS: dict[str, list[str]] = {
    "cs": ["odesílatel", "uživatel"],
    "sk": ["používateľ", "odosielateľ"],
    "ru": ["от", "пользователь"],
    "uk": ["від", "користувач"],
    "pl": ["użytkownik"],
    # Apple Mail's Dutch puts the verb round the sender: "Op … heeft Dana <d@x> het volgende
    # geschreven:".
    "nl": ["heeft"],
}


def languages_with(table: dict[str, list[str]], phrase: str) -> set[str]:
    """The languages whose entry in a per-language table holds the phrase, compared folded."""
    return set(phrase_languages(table).get(fold_label(phrase), ()))


_PHRASE_INDEX: dict[int, dict[str, frozenset[str]]] = {}


def phrase_languages(table: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """A per-language table turned round: folded phrase -> the languages that have it. Built
    once per table (the tables are module constants)."""
    index = _PHRASE_INDEX.get(id(table))
    if index is None:
        found: dict[str, set[str]] = {}
        for code, phrases in table.items():
            for phrase in phrases:
                found.setdefault(fold_label(phrase), set()).add(code)
        index = _PHRASE_INDEX[id(table)] = {k: frozenset(v) for k, v in found.items()}
    return index


_LABEL_LISTS = {code: list(table) for code, table in HEADER_LABELS.items()}


def label_languages(labels: list[str]) -> set[str]:
    """The languages a header block's labels are written in: those whose table has every one
    of them ("De", "Date", "À", "Objet": French), else those that have any."""
    index = phrase_languages(_LABEL_LISTS)
    sets = [set(index.get(fold_label(label), ())) for label in labels]
    sets = [s for s in sets if s]
    if not sets:
        return set()
    common = set.intersection(*sets)
    return common or set.union(*sets)
