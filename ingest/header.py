"""The header of a copied web page (the lines before its abstract): what each line is, from its
shape and its neighbours — navigation or label chrome, identifiers, citation or venue, dates,
author lists, affiliations — and which line, if any, is plausibly the title. A line that is not
plausibly a title is never taken as one: the title then stays empty (and is flagged)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest import title_model
from ingest.citation import MONTHS, parse_citation
from ingest.header_features import PAGE_WINDOW, Context, continues_previous, echoed, line_features
from ingest.journals import is_journal_name
from ingest.names import INSTITUTION, is_affiliation_line, is_author_line, is_listed_name
from ingest.names.vocab import is_degree
from ingest.prose import is_sentence
from ingest.title_model import Decision
from ingest.title_text import MIN_TITLE_WORDS, language_hint, quoted_title, without_number_lead
from kb.text.normalize import fold
from kb.text.sections import split_label

Kind = Literal["chrome", "label", "identifier", "citation", "date", "authors", "affiliation",
               "title", "other"]
MAX_HEADER = 30
MAX_TITLE_WORDS = 45
REPEATED_TITLE_WORDS = 8
MAX_ORGANISATION_WORDS = 12  # a longer line in title case that names a Center is a title, not the Center  # a line of this many words the page prints twice is a title, not a site's name
_IDENTIFIER = re.compile(r"\b(?:doi|pmid|pmcid|issn|isbn|arxiv)\b|\b10\.\d{4,9}/|https?://|www\.|@", re.I)
_NAVIGATION = re.compile(r"^(?:back to|return to|go to|skip to|home\b|«|‹|<)|\s(?:>|»|›|/)\s.*\s(?:>|»|›|/)\s|"
                         r"\blogo|\||"
                         # an instruction to the reader about the page itself ('Click the Poster to View Full Screen')
                         r"^(?:click|right[- ]click|double[- ]click|tap|scroll|hover|swipe)\b", re.I)
#: A document site's counts and file size ('113KB Sizes 0 Downloads 118 Views', '2,345 views').
_PAGE_COUNTS = re.compile(r"\b\d[\d.,]*\s*(?:KB|MB|GB|kB)\b|\b\d[\d.,]*\s+(?:downloads?|views?|reads?)\b", re.I)
_VOLUME = re.compile(r"\b(?:vol(?:ume)?|issue|no|pp?)\.?\s*\d|\(\d{4}\)\s*\d|\d+\s*\(\d+\)\s*:", re.I)
#: Month names of the pages' other languages (French, Spanish, Portuguese, German, Italian, Dutch),
#: for dates only: 'Septembre 2012', 'Publié le 02 fév 2011', '3. März 2020'.
FOREIGN_MONTHS = (
    "janvier janv février févr fév mars avril avr mai juin juillet juil août septembre octobre "
    "novembre décembre déc enero febrero marzo abril mayo junio julio agosto septiembre setiembre "
    "octubre noviembre diciembre janeiro fevereiro março maio junho julho setembro outubro "
    "novembro dezembro januar jänner februar märz juni juli oktober dezember gennaio febbraio "
    "aprile maggio giugno luglio settembre ottobre dicembre januari februari maart mei augustus").split()
_MONTH = "|".join(sorted({*MONTHS, *FOREIGN_MONTHS}, key=len, reverse=True))
_DATE = re.compile(rf"\b(?:{_MONTH})\.?\s+(?:\d{{1,2}},?\s+)?(?:1[89]|20)\d{{2}}\b|"
                   rf"\b\d{{1,2}}\.?\s+(?:{_MONTH})\.?,?\s+(?:1[89]|20)\d{{2}}\b|\b(?:1[89]|20)\d{{2}}-\d{{2}}-\d{{2}}\b|"
                   r"^\d{1,2}[/.]\d{1,2}[/.](?:1[89]|20)\d{2}$|\b(?:1[89]|20)\d{2}\s+(?:года|г\.)|^\((?:1[89]|20)\d{2}\)$",
                   re.I)
_LABEL_VALUE = re.compile(r"^(?P<label>[^\W\d_][\w'’()\-]*(?: [\w'’()\-]+){0,3})\s*[:：]\s*\S")
_BYLINE = re.compile(r"^\W*(?:by|authors?|author\(s\)|written by|verfasst von|autor(?:es|a)?(?:\s+principal(?:es)?)?|auteurs?|"
                     r"autoren|(?:[^,\n]{0,80},\s*)?автор(?:ы)?(?:\s+научной\s+работы)?)\s*[:：—–]?\s+\S", re.I)
_SEPARATOR = re.compile(r"\s+[–—|-]\s+")
#: Words of page furniture and article-type labels: a short line made of them is chrome.
CHROME_WORDS = frozenset(
    """original research article articles review reviews systematic brief briefs issue issues report
    reports paper papers research theory commentary editorial letter perspective viewpoint essay
    news feature case study protocol abstract full text pdf html download downloads share print cite
    citation citations export email submit submission start become reviewer reviewers login log in
    sign register subscribe menu search home contents journal journals volume open access
    display alt previous next front matter openbook press date award degree type name graduate
    group first advisor second committee chair member topic topics view all related more show
    hide close figures tables metrics info information details summary overview read reading
    publication published publications resource resources library page pages home back a an the
    of to and for in on by""".split())
_FUNCTION = frozenset("a an the of to and for in on by with from at or as".split())
# an organisation's noun as the head of its name: last, or before 'of', 'for', 'on' … ('Department of
# Health', 'Urban Institute', 'Center on Budget …'), not inside a phrase ('… Health Center Use on …')
_ORGANISATION = re.compile(r"\b(?:Department|University|Ministry|Institute|Agency|Office|Council|Academy|"
                           r"Centers?|Centres?|Academies|Foundation|Association|Society|Press|Publishing|Publishers)\b"
                           r"(?=\s*$|\s*[,;:(&]|\s+(?:of|for|on|and|in|at)\b)")
#: A site's name and slogan: one word, a dash, a few capitalised words ('SciELO - Scientific
#: Electronic Library Online').
_SITE_SLOGAN = re.compile(r"^(?P<name>[^\s:]+)\s+[-–—]\s+(?P<slogan>[^-–—:]+)$")
MAX_SLOGAN_WORDS = 6
_ABBREVIATED_LEAD = re.compile(r"^[A-Z][a-z]{1,3}\.\s")
_LIST_ITEM = re.compile(r"^\d{1,2}[.)]\s")
_DOMAIN_LEAD = re.compile(r"^[\w-]+\.(?:com|org|net|info|io|edu|gov|de|fr|es|it|nl|uk|eu|ca|au|br|cn)\b", re.I)
#: Words of the labels in label-value metadata lines ('Published: …', 'Author(s): …').
METADATA_WORDS = frozenset(
    """author authors author(s) by published received accepted revised online date dates journal
    source keywords keyword doi pmid pmcid issn isbn citation cite reading type category categories
    subject subjects tags tag topic topics language languages publisher year volume issue pages
    affiliation affiliations correspondence corresponding email editor editors funding copyright
    license licence format status series url link links available""".split())


@dataclass(frozen=True)
class HeaderLine:
    """One line of a page header and what it is."""

    index: int
    text: str
    kind: Kind


def is_byline(line: str) -> bool:
    """A labelled byline: 'By …', 'Authors: …', 'Autores principales: …' followed by names."""
    return bool(_BYLINE.match(line)) and is_author_line(line, allow_single=True)


def kind_of(line: str) -> Kind:
    """What a header line is, from its own shape."""
    line = without_number_lead(line)
    words = line.split()
    if is_byline(line):
        return "authors"
    if _NAVIGATION.search(line) or _PAGE_COUNTS.search(line):
        return "chrome"
    if _IDENTIFIER.search(line):
        return "identifier"
    if parse_citation(line) or _VOLUME.search(line):
        return "citation"
    if _DATE.search(line):
        return "date"
    if _is_chrome_words(words):
        return "chrome"
    if is_author_line(line) or _name_and_place(line):
        return "authors"
    if is_affiliation_line(line):
        return "affiliation"
    if line.rstrip().endswith((":", "：")) or is_section_label(line) or _is_label_value(line):
        return "label"
    if not _title_shaped(line, words):
        return "other"
    return "citation" if is_journal_name(line) or is_venue_name(line) else "title"  # a journal's name is a venue


#: A serial's name by its head word ('Journal of Integrated Care', 'The Milbank Quarterly', 'Annals of
#: Family Medicine', 'Revista de Saúde Pública'): a venue, not a title, when short and without a colon.
_VENUE = re.compile(r"^(?:the\s+)?(?:(?:[A-Z][\w'’&-]*\s+){0,4}(?:Journal|Quarterly|Annals|Archives|Bulletin|"
                    r"Proceedings|Transactions|Gazette|Revista|Revue|Cadernos|Zeitschrift)"
                    r"(?:\s+(?:of|for|de|do|da|der|für|on)\b.*)?)$", re.I)
MAX_VENUE_WORDS = 9


def is_venue_name(line: str) -> bool:
    """A short line that names a journal by its head word ('Journal of …', '… Quarterly'), each
    word capitalised but its function words, no colon, no full stop inside."""
    text = line.strip().rstrip(".")
    words = text.split()
    if not words or len(words) > MAX_VENUE_WORDS or ":" in text or "." in text or not _VENUE.match(text):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or fold(w) in _FUNCTION | VENUE_FUNCTION for w in words)


VENUE_FUNCTION = frozenset("de do da der für e y et des du la".split())

_NAME_FIRST = re.compile(r"^(?P<name>[^.,;:]{3,60}?[^\W\d_]{2})\.\s+(?P<rest>\S.*)$")


def _name_and_place(line: str) -> bool:
    """'Karla Cristina Giacomin. Ayuntamiento de Belo Horizonte (Brasil).': a person's name, a
    full stop, where the person works."""
    m = _NAME_FIRST.match(line.strip())
    if m is None:
        return False
    name, rest = m.group("name"), m.group("rest")
    return bool(INSTITUTION.search(rest)) and not is_sentence(rest) and 2 <= len(name.split()) <= 5 \
        and is_author_line(name, allow_single=True, default="given-first")


def is_section_label(line: str) -> bool:
    """The line opens a labelled section ('Methods', 'Results: We found …'); a title whose part
    before the colon reads like a label ('Social prescribing outcomes: a mapping review …') does not."""
    found = split_label(line)
    if not found.label:
        return False
    return not found.text or is_sentence(found.text) or len(found.label.split()) <= 2


def _is_chrome_words(words: list[str]) -> bool:
    """A short line (up to six words) made mostly of page-furniture words."""
    content = [fold(w.strip(".,:;()&")) for w in words]
    content = [w for w in content if w not in _FUNCTION]
    if not words or len(words) > 6 or not content:
        return not content and bool(words)
    chrome = sum(w in CHROME_WORDS or not any(c.isalpha() for c in w) for w in content)
    return chrome >= max(1, round(0.6 * len(content)))


def _is_label_value(line: str) -> bool:
    """'Published: 12 May 2020', 'Author(s): …', 'Published in the journal: …': a metadata label of
    up to four words, a value."""
    m = _LABEL_VALUE.match(line)
    return bool(m) and all(fold(w) in METADATA_WORDS | CHROME_WORDS for w in m.group("label").split())


def _title_shaped(line: str, words: list[str]) -> bool:
    """Enough words, not prose, starts with a capital or a digit, not a list of names."""
    if not MIN_TITLE_WORDS <= len(words) <= MAX_TITLE_WORDS or len(line) > 350:
        return False
    if line.rstrip().endswith(("...", "…")) or _DOMAIN_LEAD.match(line) or _site_slogan(line):
        return False  # a title the site cut short ('… review of UK ...'), a site's name and slogan
    if fold(words[-1].strip(".,;")) in _FUNCTION or _ABBREVIATED_LEAD.match(line) or _LIST_ITEM.match(line):
        return False  # cut off mid-phrase ('… the degree of'), led by 'Sec.', 'Vol.', or a list item ('1. …')
    if any(is_degree(w.strip("()")) for w in words if w.startswith("(")):
        return False  # 'Doctor of Philosophy (PhD)'
    if _ORGANISATION.search(line) and len(words) <= MAX_ORGANISATION_WORDS \
            and all(w[0].isupper() or fold(w) in _FUNCTION for w in words):
        return False  # an organisation's name in title case
    if is_sentence(line, min_words=12) and not line.rstrip().endswith("?") and not _headline(line, words) \
            and not _question_and_subtitle(line):
        return False
    return line[0].isupper() or line[0].isdigit() or line[0] in "“\"'‘"


def _site_slogan(line: str) -> bool:
    """'SciELO - Scientific Electronic Library Online': a one-word name in mixed case, a dash, a
    slogan of a few words all capitalised (a title's dash joins longer parts: 'Versorgungsforschung
    … – eine …', and its first word is no brand: 'Telehealth – A Bavarian Perspective')."""
    m = _SITE_SLOGAN.match(line.strip())
    if m is None:
        return False
    name = m.group("name")
    if not (any(c.isupper() for c in name[1:]) and any(c.islower() for c in name)):
        return False  # a brand's name in mixed case ('SciELO', 'PubMed'), not a title's first word
    words = m.group("slogan").split()
    return len(words) <= MAX_SLOGAN_WORDS and all(w[:1].isupper() or fold(w) in _FUNCTION for w in words)


def read_header(lines: list[str]) -> list[HeaderLine]:
    """Each line of a header (at most MAX_HEADER lines) with its kind; a lone name of two to
    four words just under a title-shaped line (page furniture between them or not) is its byline
    ('Alicia C. Bunger'), a short title printed twice just above a byline is a title, and so are
    bulleted name lines one after another ('• Samantha Tesfaye 1 , 2 ,')."""
    kinds: list[Kind] = [kind_of(line) for line in lines[:MAX_HEADER]]
    listed = [is_listed_name(line) for line in lines[:MAX_HEADER]]
    for n, is_listed in enumerate(listed):  # a byline listed one name a line behind bullets
        if is_listed and ((n > 0 and listed[n - 1]) or (n + 1 < len(listed) and listed[n + 1])):
            kinds[n] = "authors"
    for n in range(len(kinds)):
        if kinds[n] == "other" and _short_title(lines, n, kinds):
            kinds[n] = "title"
    for n in range(1, len(kinds)):
        line = lines[n]
        above = n - 1
        while above > 0 and kinds[above] == "chrome":
            above -= 1  # page furniture between the title and its byline ('Click the poster to …')
        if kinds[above] == "title" and kinds[n] in ("title", "other") and 2 <= len(line.split()) <= 4 \
                and not continues_previous(lines[above]) and not any(c.isdigit() for c in line) \
                and is_author_line(line, allow_single=True, default="given-first"):
            kinds[n] = "authors"
    return [HeaderLine(i, line, kind) for i, (line, kind) in enumerate(zip(lines, kinds, strict=False))]


SHORT_TITLE_WORDS = 2  # a title this short needs the page to print it twice, just above its byline


def _short_title(lines: list[str], n: int, kinds: list[Kind]) -> bool:
    """A title of two or three words ('Transitional Care'): in title case, no digits, not a name
    nor page furniture, printed again on the page (alone or with a number: 'Transitional Care 36'),
    with the byline within the next two lines."""
    line = lines[n].strip()
    words = line.split()
    if not SHORT_TITLE_WORDS <= len(words) < MIN_TITLE_WORDS or any(c.isdigit() for c in line) \
            or not all(w[:1].isupper() or fold(w) in _FUNCTION for w in words) or _is_chrome_words(words) \
            or is_author_line(line, allow_single=True, default="given-first") or is_section_label(line):
        return False
    if not any(k == "authors" for k in kinds[n + 1:n + 3]):
        return False
    again = (other.strip() for i, other in enumerate(lines) if i != n)
    return any(o.startswith(line) and re.fullmatch(r"[\s\d]*", o[len(line):]) for o in again)


_INNER_SENTENCE_END = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]")
_FINITE = re.compile(r"\b(?:is|are|was|were|we|our|has|have|had|did|does|will|can)\b", re.I)


_QUESTION_SUBTITLE = re.compile(r"^[^?]{10,}\?\s+(?P<subtitle>[A-Z][^?.!]{2,80})$")


def _question_and_subtitle(line: str) -> bool:
    """A question and a short subtitle after it ('Are … associated with …? A systematic review'):
    a title, not a sentence, when the subtitle has no finite verb and is at most eight words."""
    m = _QUESTION_SUBTITLE.match(line.strip())
    return bool(m) and len(m.group("subtitle").split()) <= 8 and not _FINITE.search(m.group("subtitle"))


def _headline(line: str, words: list[str]) -> bool:
    """A long line that reads like a sentence but is a headline: one sentence, no first person
    or finite 'is/was/have', and in title case or split by a colon ('…: A Randomized Trial.')."""
    if _INNER_SENTENCE_END.search(line.rstrip().rstrip(".")) or _FINITE.search(line):
        return False
    content = [w for w in words if fold(w) not in _FUNCTION and w[:1].isalpha()]
    capitalised = sum(w[0].isupper() for w in content) / len(content) if content else 0.0
    return capitalised >= 0.75 or ":" in line.rstrip()[:-1]


def context(header: list[HeaderLine], page: list[str]) -> Context:
    """The header as the line features read it."""
    return Context([h.text for h in header], [h.kind for h in header], page[:PAGE_WINDOW])


def plausible_title(ctx: Context, n: int) -> bool:
    """Rules: line n is title-shaped, is not the rest of the line before it nor a short name the
    page repeats, and something supports it — a byline or affiliations just after it, the page echoing it, metadata
    (citation, date, identifier) and article-type chrome beside it, the page printing it twice, or it opens the page's content
    with at least six words, or with fewer and page furniture or the text after it (a short
    question directly above the text is that text's heading; a short line above another
    title-shaped line is a site's name)."""
    if ctx.kinds[n] != "title":
        return False
    f = line_features(ctx, n)
    if (f["recurs"] and len(ctx.texts[n].split()) < REPEATED_TITLE_WORDS) \
            or (f["continues"] and ctx.kinds[n - 1] in ("other", "title", "affiliation", "date")):
        return False  # a short line the page repeats is a site's or section's name; a long one is a title printed twice
    # a short opener needs page furniture after it, not another title-shaped line (then it is a
    # site's name above a page title); directly above the text it must not be a question (then it
    # is the text's heading: 'Why GAO Did This Study?')
    if n + 1 < len(ctx.texts):
        short_ok = ctx.kinds[n + 1] != "title"
    else:
        short_ok = not ctx.texts[n].rstrip().endswith("?")
    opens = f["first_content"] and (len(ctx.texts[n].split()) >= 6 or short_ok)
    beside = f["metadata_near"] and f["chrome_before"]  # either alone also stands beside page furniture
    printed_twice = bool(f["recurs"])  # long enough (above): a title the page prints twice
    affiliations_after = bool(f["next=affiliation"])  # the byline lost (icons), its affiliations kept
    translated = any(_translation_pair(ctx, n, m) for m in (n - 1, n + 1))  # printed with its translation
    return bool(f["authors_after"] or f["echoed"] or printed_twice or beside or opens or affiliations_after
                or translated)


def _rules_score(ctx: Context, n: int) -> float:
    """How well placed a plausible title is: just before the authors, echoed on the page."""
    after = ctx.kinds[n + 1:n + 4]
    near = next((2.0 - 0.5 * k for k, kind in enumerate(after) if kind == "authors"), 0.0)
    score = 1.0 + near + 2.0 * echoed(ctx.texts[n], ctx.page)
    return score + 0.5 * (6 <= len(ctx.texts[n].split()) <= 30) - 0.05 * n


def choose_title(ctx: Context, probability: list[float] | None, mode: Decision,
                 threshold: float) -> int | None:
    """Index of the title line, or None. 'rules': the best placed line the rules find plausible;
    'veto': the same, less lines whose title probability is under the threshold (unless their
    evidence is of a kind the model's features do not show); 'model': the title-shaped line of
    highest probability, when it reaches the threshold."""
    best, best_score = None, 0.0
    for n in range(len(ctx.texts)):
        if mode == "model":
            if ctx.kinds[n] != "title" or probability is None or probability[n] < threshold:
                continue
            score = probability[n]
        else:
            if not plausible_title(ctx, n):
                continue
            if mode == "veto" and probability is not None and probability[n] < threshold \
                    and not evidence_unseen_by_model(ctx, n):
                continue
            score = _rules_score(ctx, n)
        if score > best_score:
            best, best_score = n, score
    if best is not None and mode != "model":
        best = _full_form(ctx, best, probability, mode, threshold)
        best = _original_of_translation(ctx, best)
    return best


def _original_of_translation(ctx: Context, best: int) -> int:
    """The title in its own language when the chosen line is its English translation printed
    just below it ('Versorgungsforschung … – eine bayerische Perspektive' / 'Health Services
    Research … – A Bavarian Perspective'): a title-shaped line of about the same length in
    another language directly above."""
    return best - 1 if best > 0 and _translation_pair(ctx, best - 1, best) \
        and language_hint(ctx.texts[best]) == "english" else best


def evidence_unseen_by_model(ctx: Context, n: int) -> bool:
    """Line n is a title by evidence the title model's features do not carry, so its probability
    says nothing against it: it is printed with its translation, or it is a short title the page
    prints twice above its byline (only that evidence makes a line under four words a title)."""
    short = len(without_number_lead(ctx.texts[n]).split()) < MIN_TITLE_WORDS and ctx.kinds[n] == "title"
    return short or any(_translation_pair(ctx, n, m) for m in (n - 1, n + 1))


def _translation_pair(ctx: Context, n: int, m: int) -> bool:
    """Lines n and m are next to each other, both title-shaped, of about the same length, one in
    English and the other in another language: a title and its translation."""
    if not (min(n, m) >= 0 and max(n, m) < len(ctx.texts) and abs(n - m) == 1) \
            or ctx.kinds[n] != "title" or ctx.kinds[m] != "title":
        return False
    first, second = without_number_lead(ctx.texts[n]), without_number_lead(ctx.texts[m])
    hints = {language_hint(first), language_hint(second)}
    return hints == {"english", "foreign"} and 0.5 <= len(first) / len(second) <= 2.0


def _full_form(ctx: Context, best: int, probability: list[float] | None, mode: Decision, threshold: float) -> int:
    """The plausible title line that prints the chosen one in full ('Title' above 'Title: Subtitle',
    as a book or document site shows a short heading and then the title page)."""
    short = fold(clean_title(ctx.texts[best]))
    for n in range(len(ctx.texts)):
        full = fold(clean_title(ctx.texts[n]))
        if n != best and len(full) > len(short) and full.startswith(short) and not full[len(short)].isalnum() \
                and plausible_title(ctx, n) and not (mode == "veto" and probability is not None
                                                     and probability[n] < threshold):
            return n
    return best


def pick_title(header: list[HeaderLine], page: list[str]) -> HeaderLine | None:
    """The line most plausibly the title (see choose_title; the shipped title model's decision
    says which way), or None when no line is plausibly one."""
    ctx = context(header, page)
    mode = title_model.decision()
    model = title_model.shipped()
    probability = None
    if mode != "rules" and model is not None:
        probability = [title_model.title_probability(ctx, n) for n in range(len(header))]
    n = choose_title(ctx, probability, mode, model.threshold if model else 0.5)
    return header[n] if n is not None else None


def title_from_lines(parts: list[str]) -> str | None:
    """The title of a layout that prints it as the lines before the byline (PubMed): all of
    them when they are one wrapped title (together title-shaped, each line after the first a title
    line or the rest of the one before: 'Title:' / 'a randomized trial'), else the
    title line nearest the byline; None when no line is a title line."""
    if not parts:
        return None
    kinds = [kind_of(p) for p in parts]
    wrapped = all(kinds[i] == "title" or continues_previous(parts[i - 1]) or parts[i][:1].islower()
                  for i in range(1, len(parts)))
    joined = " ".join(parts)
    if wrapped and kind_of(joined) == "title":
        return joined.rstrip(".")
    titles = [p for p, k in zip(parts, kinds, strict=True) if k == "title"]
    return titles[-1].rstrip(".") if titles else None


def clean_title(text: str) -> str:
    """A page-title line without trailing type or number parts ('Title – Issue Brief – 8659-03')
    and without its final full stop."""
    text = quoted_title(without_number_lead(text))
    words = text.split()
    if len(words) > MIN_TITLE_WORDS and fold(words[-1]) in {"pdf", "[pdf]", "(pdf)"}:
        text = " ".join(words[:-1])  # 'Title PDF' on a document site
    while (bracket := _TRAILING_BRACKET.search(text)) and all(
            fold(w) in CHROME_WORDS | LINK_WORDS for w in bracket.group("words").split()):
        text = text[:bracket.start()]  # '… Meta-Analysis (original) (raw)', '… [PDF]'
    while (cuts := list(_SEPARATOR.finditer(text))):
        tail = text[cuts[-1].end():]
        if not (_all_chrome_words(tail.split()) or not re.search(r"[^\W\d_]{2}", tail)):
            break
        text = text[:cuts[-1].start()]
    return _without_type_lead(text.strip()).rstrip(".")


def _without_type_lead(text: str) -> str:
    """A title without the article-type label a PDF copy runs into it ('REVIEW ARTICLE The …',
    'RESEARCH ARTICLE Open Access Components of …'): leading capitals words of page furniture."""
    words = text.split()
    cut = 0
    while cut < len(words) and len(words[cut]) > 1 and words[cut].isupper() and fold(words[cut]) in CHROME_WORDS:
        cut += 1
    if cut and [fold(w) for w in words[cut:cut + 2]] == ["open", "access"]:
        cut += 2
    rest = words[cut:]
    if not cut or len(rest) < MIN_TITLE_WORDS or not rest[0][:1].isupper():
        return text
    return " ".join(rest)


_TRAILING_BRACKET = re.compile(r"\s*[(\[](?P<words>[^()\[\]]{1,30})[)\]]\s*$")
#: Link texts a copied page leaves after a title ('(original)', '(raw)', '[PDF]').
LINK_WORDS = frozenset("original raw pdf html full text link source".split())


def _all_chrome_words(words: list[str]) -> bool:
    """A short tail made only of page-furniture words ('Issue Brief'), not a subtitle that has one
    ('A Bavarian Perspective')."""
    content = [fold(w.strip(".,:;()&")) for w in words if fold(w.strip(".,:;()&")) not in _FUNCTION]
    return bool(content) and len(words) <= 6 and all(w in CHROME_WORDS or not any(c.isalpha() for c in w)
                                                      for w in content)


# A citation whose journal name is an image (PMC's logo): '. 2019 Nov 19;54(6):1214–1222. doi: …'
_BARE_CITATION = re.compile(rf"^\W{{0,3}}((?:1[89]|20)\d{{2}})(?:\s+(?:{_MONTH})\.?)?(?:\s+\d{{1,2}})?\s*;\s*\d+\s*[(:]", re.I)


# The year of a header citation line: 'Gesundheitswesen 2015; 77(03): 213-218', '… volume 20,
# Article number: 1102 (2020)', 'Volume 4: No. 4, October 2007' (a year beside ';', ')' or a month).
_CITATION_YEAR = re.compile(rf"(?:\(|\b(?:{_MONTH})\.?\s+|^.{{0,80}}?\s)((?:1[89]|20)\d{{2}})(?:\)|\s*;|$|\s*,)", re.I)


_PUBLISHED = re.compile(r"^(?:published|publication date|date published|publicado|publicaci[oó]n|publié|"
                        r"date de publication|veröffentlicht|publicado em)\s*[:：]\s*(?P<value>.{1,80})$", re.I)


_META_SEPARATOR = re.compile(r"\s+[/|·•]\s+")


def published_year(lines: list[str]) -> int | None:
    """The year of the first 'Published: …' line ('Publicado: MDPI 2021') or part of a line that
    joins dates with slashes or bars ('Received: … / Accepted: … / Published: 3 July 2021')."""
    for line in lines:
        for part in _META_SEPARATOR.split(line.strip()):
            if (published := _PUBLISHED.match(part)) and (year := re.search(r"\b(?:1[89]|20)\d{2}\b",
                                                                          published.group("value"))):
                return int(year.group(0))
    return None


_YEAR_VOLUME = re.compile(r"\b(?:1[89]|20)\d{2}\s*[,;]\s*\d{1,4}\s*\(\d{1,4}\)")  # 'Medicina 2021, 57(7), 677'
_LINK = re.compile(r"(?:https?://|www\.|doi:\s*|\b10\.\d{4,9}/)\S*", re.I)


def _citation_part(line: HeaderLine) -> str | None:
    """The citation of a header line: a citation line, or an identifier line with its links and
    DOIs taken out when what is left is a citation ('Medicina 2021, 57(7), 677; https://doi.org/…')."""
    if line.kind == "citation":
        return line.text
    if line.kind == "identifier":
        rest = _LINK.sub("", line.text).strip(" ;,.")
        if rest and (parse_citation(rest) or _VOLUME.search(rest) or _YEAR_VOLUME.search(rest)):
            return rest
    return None


def header_year(header: list[HeaderLine]) -> int | None:
    """The year of a citation without its journal name, else of a citation line of the header,
    else of its first date line (its publication date, when no citation gives one), else of a
    numeric date in a bar-separated meta line (not an 'accessed' or 'updated' date)."""
    for line in header:
        if bare := _BARE_CITATION.match(line.text):
            return int(bare.group(1))
    for line in header:
        if (cited_text := _citation_part(line)) and (cited := _CITATION_YEAR.search(cited_text)):
            return int(cited.group(1))
        if year := published_year([line.text]):
            return year

    for line in header:
        if line.kind == "date":
            m = _DATE.search(line.text)
            year = re.search(r"(?:1[89]|20)\d{2}", m.group(0)) if m else None
            if year:
                return int(year.group(0))
    for line in header:  # a numeric date in a bar-separated meta line ('Open Access 11.06.2024 | Originalien')
        if line.kind == "chrome" and "|" in line.text and not _ACCESSED.search(line.text) \
                and (numeric := _NUMERIC_DATE.search(line.text)):
            return int(numeric.group("year"))
    return None


_NUMERIC_DATE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?P<year>(?:19|20)\d{2})(?![\d.])")
_ACCESSED = re.compile(r"\b(?:accessed|retrieved|viewed|abgerufen|consultado|consulté|updated|aktualisiert)\b", re.I)


def labelled_value(header: list[HeaderLine], labels: tuple[str, ...]) -> str | None:
    """The value of the first 'Label: value' header line with one of these labels."""
    for line in header:
        label, sep, value = line.text.partition(":")
        if sep and fold(label.strip()) in labels and value.strip():
            return value.strip()
    return None


_WRAP_END = re.compile(r"[-–—:,]$")
MAX_WRAPPED_WORDS = 15  # the rest of a wrapped title is a line this short at most


def joined_wrapped(lines: list[str]) -> list[str]:
    """Header lines with a title wrapped over two lines set on one ('Social Care and the
    Integration of Health and' / 'Social Services for Older People: A Scoping Review'): the first
    stops mid-phrase (a function word, a hyphen, a colon), the second is short and no author,
    identifier, citation or date line, and together they are title-shaped."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and _wraps_into(line, lines[i + 1]):
            out.append(f"{line.rstrip()} {lines[i + 1].strip()}")
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _wraps_into(first: str, second: str) -> bool:
    words = first.split()
    if len(words) < 3 or not second[:1].isalpha() or len(second.split()) > MAX_WRAPPED_WORDS:
        return False
    ends_open = fold(words[-1]) in _FUNCTION or bool(_WRAP_END.search(first.rstrip()))
    if not ends_open or first.rstrip().endswith(",") and kind_of(first) == "authors":
        return False
    if kind_of(first) not in ("title", "other", "label") or kind_of(second) not in ("title", "other"):
        return False
    joined = f"{first.rstrip()} {second.strip()}"
    return kind_of(joined) == "title"
