#!/usr/bin/env python3
"""The independent parser for the mail tests (issue 15): Python's `email` package reads every
message file named on the command line (or every file in a directory) and prints, per file, one
JSON line with what dialogd's MailMessage must agree on. Used by MailOracleTests.

    mail-oracle.py DIR_OR_FILE...      one JSON object per message, in file-name order
    mail-oracle.py --generate N DIR    writes N generated messages (fixed seed) into DIR
"""
import email, email.policy, email.utils, json, os, random, sys
from email.message import EmailMessage


def addresses(msg, name):
    out = []
    for value in msg.get_all(name, []) or []:
        try:
            out += [a.addr_spec.lower() for a in value.addresses if a.addr_spec and "@" in a.addr_spec]
        except Exception:
            out += [a.lower() for _, a in email.utils.getaddresses([str(value)]) if "@" in a]
    return out


def first_text(part):
    """get_body's walk (no attachments, no enclosed messages, a related part's root only),
    taking the first text/plain part with text."""
    if part.is_attachment():
        return None
    if part.get_content_type() == "text/plain":
        content = part.get_content()
        return content if content.strip() else None
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        subparts = part.get_payload()
        if part.get_content_subtype() == "related":
            subparts = subparts[:1]
        for sub in subparts:
            found = first_text(sub)
            if found:
                return found
    return None


def describe(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    result = {"file": os.path.basename(path)}
    try:
        result["subject"] = str(msg["subject"]) if msg["subject"] is not None else None
    except Exception as e:
        result["subject_error"] = repr(e)
    mid = msg.get("message-id")
    result["message_id"] = str(mid).strip().strip("<>").strip() if mid else None
    try:
        date = msg["date"]
        result["date"] = int(date.datetime.timestamp()) if date is not None and date.datetime is not None and date.datetime.tzinfo else None
    except Exception:
        result["date"] = None
    for name in ("from", "sender", "to", "cc"):
        try:
            result[name] = addresses(msg, name)
        except Exception as e:
            result[name + "_error"] = repr(e)
    try:
        plain = msg.get_body(preferencelist=("plain",))
        result["plain"] = plain.get_content() if plain is not None else None
    except Exception as e:
        result["plain_error"] = repr(e)
    # dialogd skips empty text parts (an empty plain alternative must not hide the HTML one):
    # the first inline text/plain part with text, in tree order, is what it must agree with then.
    try:
        result["plain_nonempty"] = first_text(msg)
    except Exception:
        result["plain_nonempty"] = None
    try:
        result["has_html"] = msg.get_body(preferencelist=("html",)) is not None
    except Exception:
        result["has_html"] = None
    return result


WORDS = ["Grüße", "Angebot", "für", "Lizenzen", "Rückfrage", "größer", "€ 1.200", "naïve", "café", "Ärger",
         "straße", "Öl", "quote\"d", "comma,", "x" * 90, "お問い合わせ", "Привет", "spaß", "–", "“zitat”"]
CHARSETS = {"utf-8": None, "iso-8859-1": "latin", "iso-8859-15": "latin", "windows-1252": "latin",
            "iso-2022-jp": "jp", "koi8-r": "ru", "shift_jis": "jp"}


def text_for(rng, kind):
    pool = {"latin": [w for w in WORDS if all(ord(c) < 256 or c in "€–“”" for c in w)],
            "jp": ["お問い合わせ", "ありがとう", "見積もり", "abc", "123"],
            "ru": ["Привет", "заказ", "спасибо", "abc"], None: WORDS}[kind]
    return " ".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))


def encodable(text, charset):
    try:
        text.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def generate(n, directory):
    rng = random.Random(15)
    os.makedirs(directory, exist_ok=True)
    made = 0
    while made < n:
        charset = rng.choice(list(CHARSETS))
        kind = CHARSETS[charset]
        subject = text_for(rng, kind)
        lines = [text_for(rng, kind) for _ in range(rng.randint(1, 6))]
        body = "\n".join(lines) + "\n"
        if not (encodable(subject, charset) and encodable(body, charset)):
            continue
        m = EmailMessage()
        m["Subject"] = subject
        m["From"] = email.utils.formataddr((text_for(rng, None).replace('"', "")[:30], "kunde%d@example.org" % made))
        m["To"] = "Anna Schmidt <anna.schmidt@example.com>"
        if rng.random() < 0.5:
            m["Cc"] = "john.doe@example.com, \"Müller, Jörg\" <j.mueller@kunde.de>"
        m["Date"] = email.utils.format_datetime(email.utils.localtime().replace(microsecond=0))
        m["Message-ID"] = "<gen-%d@example.org>" % made
        cte = rng.choice(["quoted-printable", "base64", "8bit", None])
        if charset in ("iso-2022-jp",):
            cte = rng.choice(["7bit", "base64"])
        kwargs = {"charset": charset}
        if cte:
            kwargs["cte"] = cte
        try:
            m.set_content(body, **kwargs)
        except Exception:
            continue
        shape = rng.random()
        if shape < 0.3:
            m.add_alternative("<html><body><p>%s</p></body></html>" % lines[0], subtype="html")
        elif shape < 0.5:
            m.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="Angebot %d ü.pdf" % made)
        with open(os.path.join(directory, "gen-%03d.eml" % made), "wb") as f:
            f.write(m.as_bytes(policy=email.policy.SMTP if rng.random() < 0.5 else email.policy.default))
        made += 1


def main(args):
    if args[:1] == ["--generate"]:
        generate(int(args[1]), args[2])
        return
    files = []
    for a in args:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, f) for f in os.listdir(a) if not f.startswith(".") and os.path.isfile(os.path.join(a, f)))
        else:
            files.append(a)
    for path in files:
        print(json.dumps(describe(path), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
