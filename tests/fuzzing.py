"""Seed inputs of every format the reader knows and the mutations applied to them, for fuzzing
through the public reader (tests/ingest/test_reader_fuzz.py, bounded; benchmarks/fuzz_bench.py,
long). An outcome is "records", "ingest-error" or the name of an exception that escaped."""

from __future__ import annotations

import gzip
import json
import random
import zlib

from kb.errors import IngestError

ABSTRACT = ("BACKGROUND: Counties piloted care coordination. METHODS: We interviewed 40 staff. "
            "RESULTS: Staff turnover slowed referral follow-up (OR 2.1, 95% CI 1.2-3.4). "
            "CONCLUSIONS: Health systems should consider braided funding.")
SEEDS: dict[str, str] = {
    "ris": f"TY  - JOUR\nTI  - Care coordination in pilots\nAU  - Chuang, Emmeline\nPY  - 2025\n"
           f"DO  - 10.1111/1475-6773.14413\nAB  - {ABSTRACT}\nKW  - care\nER  - \n",
    "bibtex": "@article{chuang2025,\n  title = {Care coordination in {WPC} pilots},\n  author = "
              "{Chuang, Emmeline and M{\\\"u}ller, J.},\n  year = {2025},\n  journal = {Health Serv Res},\n"
              f"  abstract = {{{ABSTRACT}}}\n}}\n",
    "medline": f"PMID- 39632564\nSTAT- MEDLINE\nTI  - Care coordination in pilots.\nFAU - Chuang, Emmeline\n"
               f"AU  - Chuang E\nAD  - UCLA, Los Angeles, CA, USA.\nDP  - 2025 Feb\nJT  - Health services research\n"
               f"AB  - {ABSTRACT}\nLID - 10.1111/1475-6773.14413 [doi]\n",
    "pubmed_xml": "<?xml version='1.0'?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
                  "<Article><ArticleTitle>Care coordination in pilots</ArticleTitle><Abstract>"
                  f"<AbstractText Label=\"RESULTS\">{ABSTRACT}</AbstractText></Abstract><AuthorList>"
                  "<Author><LastName>Chuang</LastName><ForeName>Emmeline</ForeName></Author></AuthorList>"
                  "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n",
    "csl_json": '[{"type": "article-journal", "title": "Care coordination in pilots", "author": '
                '[{"family": "Chuang", "given": "Emmeline"}], "issued": {"date-parts": [[2025, 2]]}, '
                f'"DOI": "10.1111/1475-6773.14413", "abstract": "{ABSTRACT}"}}]\n',
    "csv_table": f'Title,Authors,Year,DOI,Abstract\n"Care coordination in pilots","Chuang E; Ross R",2025,'
                 f'10.1111/1475-6773.14413,"{ABSTRACT}"\n"Second study of referrals","Pourat N",2024,,"{ABSTRACT}"\n',
    "wos": f"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Chuang, E\nTI Care coordination in pilots\n"
           f"SO HEALTH SERVICES RESEARCH\nPY 2025\nAB {ABSTRACT}\nDI 10.1111/1475-6773.14413\nER\n\nEF\n",
    "pubmed_text": "Health Serv Res. 2025 Feb;60(1):e14413. doi: 10.1111/1475-6773.14413.\n\n"
                   "Collaboration strategies for bridging health and social services\n\nChuang E, Ross R, "
                   "Pourat N\n\nAbstract\n\n" + ABSTRACT.replace(". ", ".\n\n") + "\n\nPMID: 39632564\n",
    "structured_abstract": ABSTRACT.replace(". ", ".\n\n") + "\n",
    "grey_summary": "Bridging health and social care: what pilots learned\n\nThis report describes how "
                    "county pilots coordinated health and social services over five years, and what "
                    "kept them going after the funding ended.\n\n- Shared leadership helped pilots.\n"
                    "- Staff turnover slowed referrals.\n- Braided funding sustained services.\n",
    "evidence_library": "Back to search results\n\nCare coordination in pilots\n\nChuang E, Ross R\n"
                        "Health Serv Res\n\n" + ABSTRACT + "\n\nTopic\nCare coordination\nPopulation\n"
                        "Adults\nSetting\nNot Specified\nStudy design\nQualitative\n",
    "generic_text": "Notes from a meeting about care coordination. Staff turnover slowed referral "
                    "follow-up, and shared leadership with plans helped the pilots keep going.\n",
}
NAMES = {"ris": "x.ris", "bibtex": "x.bib", "medline": "x.nbib", "pubmed_xml": "x.xml",
         "csl_json": "x.json", "csv_table": "x.csv", "wos": "x.txt"}
FRAGMENTS = ["TY  - JOUR\n", "ER  - \n", "@article{k,\n", "{" * 50, "}" * 50, "[" * 50, "]", '"',
             "PMID- 1\n", "<PubmedArticle>", "</Abstract>", "<!ENTITY a 'b'>", "&a;", "\x00", "\ufeff",
             "\r", "\n\n\n", ",", ";", "\t", "\\\"{u}", "$x^2$", "AB  - ", "PT J\n", "\x1b[31m",
             "é", "中文摘要", "\udcff", "=cmd|'/C calc'!A0", "0" * 30, "(" * 40, "95% CI ", "OR "]


def seed_bytes(name: str) -> bytes:
    return SEEDS[name].encode("utf-8")


def mutate(rng: random.Random, data: bytes, steps: int | None = None) -> bytes:
    """A few random edits: flip, delete, duplicate or repeat a slice, insert a fragment of any
    format, change the encoding, truncate."""
    out = bytearray(data)
    for _ in range(steps if steps is not None else rng.randint(1, 6)):
        n = len(out)
        at = rng.randrange(n + 1) if n else 0
        span = rng.randint(1, max(1, min(n - at, 200))) if n > at else 0
        op = rng.randrange(8)
        if op == 0 and n:
            out[rng.randrange(n)] = rng.randrange(256)
        elif op == 1 and span:
            del out[at:at + span]
        elif op == 2 and span:
            out[at:at] = out[at:at + span]
        elif op == 3 and span:
            out[at:at] = out[at:at + span] * rng.randint(2, 200)
        elif op == 4:
            out[at:at] = rng.choice(FRAGMENTS).encode("utf-8", "surrogatepass") * rng.randint(1, 20)
        elif op == 5:
            out = bytearray(bytes(out).decode("utf-8", "replace").encode(rng.choice(["utf-16", "latin-1", "gb18030"]), "replace"))
        elif op == 6 and n:
            del out[rng.randrange(n):]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
    return bytes(out)


def gzipped(rng: random.Random, data: bytes) -> bytes:
    """Gzip the data, sometimes cut short."""
    packed = gzip.compress(data)
    return packed[:rng.randrange(len(packed))] if rng.random() < 0.3 else packed


def outcome(data: bytes, source: str) -> str:
    """Parse through the public reader: "records", "ingest-error" (with the type of the error it
    wraps when a parser raised something else) or the name of the exception that escaped."""
    from kb.ops.pipeline import parse_input

    try:
        parse_input(data, source)
    except IngestError as err:
        cause = err.__cause__
        if cause is not None and not isinstance(cause, EXPECTED_CAUSES):
            return f"ingest-error from {type(cause).__name__}"
        return "ingest-error"
    return "records"


# What a file-level IngestError may wrap: decoding, JSON and nesting problems, and our own errors.
EXPECTED_CAUSES: tuple[type[BaseException], ...] = (
    UnicodeError, RecursionError, MemoryError, json.JSONDecodeError, IngestError, zlib.error, EOFError,
    OSError)
