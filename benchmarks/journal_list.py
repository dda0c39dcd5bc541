"""Build ingest/data/journals.tsv.gz, the full journal titles and their ISO 4 abbreviations, from
the journal list JabRef ships (journals/journalList.txt inside its jar; JabRef is MIT/Expat
licensed, and Debian's `jabref` package carries the jar). Nothing is fetched here:

    apt-get download jabref && dpkg-deb -x jabref_*.deb jabref
    python benchmarks/journal_list.py jabref/usr/share/jabref/JabRef-*.jar

Each line of the list is 'Full Title = Abbrev.'; lines whose abbreviation is the title itself
are dropped (nothing to expand). The output keeps the list's order, one 'full<TAB>abbrev' a line.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
import zipfile
from pathlib import Path

MEMBER = "journals/journalList.txt"
OUT = Path(__file__).resolve().parents[1] / "ingest" / "data" / "journals.tsv.gz"


def pairs(text: str) -> list[tuple[str, str]]:
    """(full title, abbreviation) of each 'Full = Abbrev' line, comments and blanks skipped."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or " = " not in line:
            continue
        full, abbrev = (part.strip() for part in line.split(" = ", 1))
        abbrev = abbrev.split(" = ")[0].strip()  # some lines add a shortest form after a second ' = '
        if full and abbrev and "\t" not in full + abbrev and full.casefold() != abbrev.casefold():
            out.append((full, abbrev))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jar", type=Path, help="JabRef's jar (from Debian's jabref package)")
    args = parser.parse_args()
    with zipfile.ZipFile(args.jar) as jar:
        raw = jar.read(MEMBER)
    rows = pairs(raw.decode("utf-8"))
    body = "".join(f"{full}\t{abbrev}\n" for full, abbrev in rows).encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(body, mtime=0))
    print(f"{args.jar.name}:{MEMBER} sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"{len(rows):,} journals -> {OUT.relative_to(OUT.parents[2])} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
