"""The index's vector files are the only stored copy of its vectors (issue 19): the embedding
cache is read but not written by the index, a text indexed again in the refresh that deleted it
is taken from the vectors still held, and vectors of different models never mix."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np

from kb.config import EMBED_CACHE, KEPT_VECTORS, index_dir
from kb.embed import FakeEmbedder
from kb.search.hybrid import search
from kb.search.index import Index
from kb.search.index_db import vector_text
from kb.store import Store


class Counting(FakeEmbedder):
    """The fake embedder, counting the texts it embeds (optionally under another model id)."""

    def __init__(self, dim: int = 256, model_id: str | None = None, shift: float = 0.0) -> None:
        super().__init__(dim)
        self.model_id = model_id or self.model_id
        self.shift = shift
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        out = super().encode(texts)
        if self.shift and len(out):
            out = out + self.shift
            out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def _cached_rows(home: Path) -> int:
    with sqlite3.connect(index_dir(home) / EMBED_CACHE) as db:
        return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])


def _ranked(index: Index) -> list[tuple[str, str, float]]:
    return [(h.record_id, h.finding_id, round(h.score, 6))
            for h in search(index, "braided funding", k=8).hits()]


def test_the_index_does_not_copy_its_vectors_into_the_cache(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy, Counting(), multilingual=False)
    assert index.vectors.size > 0
    assert _cached_rows(shipped_copy) == 0


def test_a_text_indexed_again_in_the_refresh_that_deleted_it_is_not_embedded_again(
        shipped_copy: Path) -> None:
    embedder = Counting()
    index = Index.open(shipped_copy, embedder, multilingual=False)
    store = Store(shipped_copy)
    record = store.load("john-snow-discussion-paper")
    os.remove(shipped_copy / "records" / f"{record.id}.json")  # renamed: deleted, added again
    store.save(record.model_copy(update={"id": "john-snow-renamed"}))
    embedder.texts.clear()
    report = index.update()
    assert (report.added, report.removed) == (1, 1)
    assert embedder.texts == []
    # an edit: only the changed finding's text is embedded (its sentence holds the same text)
    edited = store.load("john-snow-renamed")
    edited.findings[0] = edited.findings[0].model_copy(update={"text": "A wholly new finding text."})
    store.save(edited)
    index.update()
    assert embedder.texts == [vector_text("A wholly new finding text.", edited.title)]
    incremental = _ranked(index)
    index.close()
    fresh = Index.open(shipped_copy, Counting(), full=True, multilingual=False)
    assert _ranked(fresh) == incremental  # the same results as a build from scratch
    ids = np.array(sorted(r[0] for r in fresh.require_db().execute("SELECT fid FROM findings")))
    fresh_vectors = fresh.vectors.vectors_of(ids)
    fresh.close()
    again = Index.open(shipped_copy, Counting(), multilingual=False)
    assert not again.last_report.rebuilt
    assert np.array_equal(again.vectors.vectors_of(ids), fresh_vectors)


def test_a_new_model_rebuilds_the_vectors_from_that_model_alone(shipped_copy: Path) -> None:
    Index.open(shipped_copy, Counting(), multilingual=False).close()
    other = Counting(model_id="fake-hash:256-other", shift=0.5)
    index = Index.open(shipped_copy, other, multilingual=False)
    assert "main embedding model is now fake-hash:256-other" in (index.last_report.rebuilt or "")
    findings = index.require_db().execute("SELECT count(*) FROM findings").fetchone()[0]
    assert len(set(other.texts)) == len(other.texts) >= findings  # each text once, none reused
    fid, text, title = index.require_db().execute(
        "SELECT f.fid, f.text, r.title FROM findings f JOIN records r USING (rid) LIMIT 1").fetchone()
    expected = other.encode([vector_text(text, title)])[0].astype(np.float16)
    assert np.array_equal(index.vectors.vectors_of(np.array([fid]))[0], expected.astype(np.float32))


def test_a_lost_sentence_file_takes_the_finding_vectors_it_can(shipped_copy: Path) -> None:
    """A sentence that is a finding has the finding's vector text: rebuilding the sentence
    vectors embeds only the other sentences (titles, keywords, sentences without a finding)."""
    Index.open(shipped_copy, Counting(), multilingual=False).close()
    (index_dir(shipped_copy) / "vectors-sentences.faiss").unlink()
    embedder = Counting()
    index = Index.open(shipped_copy, embedder, multilingual=False)
    assert "vectors-sentences.faiss is missing" in (index.last_report.rebuilt or "")
    db = index.require_db()
    finding_texts = {vector_text(t, title) for t, title in db.execute(
        "SELECT f.text, r.title FROM findings f JOIN records r USING (rid)")}
    sentence_texts = {vector_text(t, None if section == -1 else title) for t, section, title in db.execute(
        "SELECT s.text, s.section, r.title FROM sentences s JOIN records r USING (rid)")}
    assert sentence_texts & finding_texts  # the case this is about
    assert sorted(embedder.texts) == sorted(sentence_texts - finding_texts)
    fresh = Index.open(shipped_copy, Counting(), full=True, multilingual=False)
    ids = np.array([r[0] for r in fresh.require_db().execute("SELECT sid FROM sentences")])
    assert np.array_equal(fresh.sentences.vectors.vectors_of(ids), index.sentences.vectors.vectors_of(ids))


def test_a_rebuild_from_scratch_embeds_nothing_the_old_index_held(shipped_copy: Path) -> None:
    """`kb reindex --full`: the old index's vectors are kept for the rebuild (its vector files
    are their only copy), then the side file is deleted; results are those of a first build."""
    first = Index.open(shipped_copy, Counting(), multilingual=False)
    ranked = _ranked(first)
    first.close()
    embedder = Counting()
    full = Index.open(shipped_copy, embedder, full=True, multilingual=False)
    assert full.last_report.rebuilt == "requested"
    assert embedder.texts == []
    assert _ranked(full) == ranked
    assert not (index_dir(shipped_copy) / KEPT_VECTORS).exists()
    assert _cached_rows(shipped_copy) == 0
    full.close()
    other = Counting(model_id="fake-hash:256-other")  # kept vectors of another model are not used
    Index.open(shipped_copy, other, full=True, multilingual=False).close()
    assert len(other.texts) > 0


def _vocab(index: Index) -> list[tuple]:
    return index.require_db().execute(
        "SELECT term, doc, cnt FROM records_vocab ORDER BY term").fetchall()


def _scores(index: Index) -> list[tuple]:
    return index.require_db().execute(
        "SELECT r.id, round(bm25(records_fts), 9) FROM records_fts JOIN records r ON r.rid = "
        "records_fts.rowid WHERE records_fts MATCH 'pilot OR quokka' ORDER BY r.id").fetchall()


def test_the_whole_record_index_keeps_no_text_and_deletes_cleanly(shipped_copy: Path) -> None:
    """records_fts is contentless: a deleted or edited record's words are taken out with the
    words rebuilt from its sentences, so after edits its vocabulary and scores equal those of a
    build from scratch."""
    index = Index.open(shipped_copy, Counting(), multilingual=False)
    db = index.require_db()
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'records_fts_content'"
                      ).fetchone()[0] == 0
    store = Store(shipped_copy)
    record = store.load("chuang-2025-collaboration-strategies")
    record.keywords = [*record.keywords, "zebrafish husbandry"]
    record.abstract[0] = record.abstract[0].model_copy(update={"text": record.abstract[0].text + " Quokka."})
    store.save(record)
    os.remove(shipped_copy / "records" / "john-snow-discussion-paper.json")
    index.update()
    edited_vocab = _vocab(index)
    assert any(term == "zebrafish" for term, _, _ in edited_vocab)
    scores = _scores(index)
    store.save(record.model_copy(update={"keywords": record.keywords[:-1]}))
    index.update()
    assert not any(term == "zebrafish" for term, _, _ in _vocab(index))
    store.save(record)
    index.update()
    index.close()
    fresh = Index.open(shipped_copy, Counting(), full=True, multilingual=False)
    assert _vocab(fresh) == edited_vocab
    assert _scores(fresh) == scores


def test_an_index_of_an_older_format_is_rebuilt_without_embedding_again(shipped_copy: Path) -> None:
    first = Index.open(shipped_copy, Counting(), multilingual=False)
    ranked = _ranked(first)
    first.require_db().execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    first.close()
    embedder = Counting()
    index = Index.open(shipped_copy, embedder, multilingual=False)
    assert "index format 5 is not the current" in (index.last_report.rebuilt or "")
    assert embedder.texts == []
    assert _ranked(index) == ranked


def test_rows_deleted_and_added_in_one_refresh_never_share_an_id(shipped_copy: Path) -> None:
    """The record holding the highest row ids deleted and another added in the same refresh:
    the new rows must not take the deleted rows' ids (their vectors are still in the spaces
    until the refresh ends; a shared id lost the new vectors with the old)."""
    index = Index.open(shipped_copy, Counting(), multilingual=False)
    db = index.require_db()
    last = db.execute("SELECT r.id FROM findings f JOIN records r USING (rid) "
                      "ORDER BY f.fid DESC LIMIT 1").fetchone()[0]
    store = Store(shipped_copy)
    os.remove(shipped_copy / "records" / f"{last}.json")
    store.save(store.load("chuang-2025-collaboration-strategies").model_copy(update={"id": "zz-new"}))
    index.update()
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("findings", "sentences")]
    assert [index.vectors.size, index.sentences.vectors.size] == counts
    assert [h.record_id for h in search(index, "braided funding", k=50).hits()].count("zz-new") > 0
